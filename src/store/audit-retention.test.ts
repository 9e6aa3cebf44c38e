import { describe, expect, it } from 'vitest';
import { DIALECTS, openHarness } from '../../test/support/harness.js';
import { pruneAuditLog } from './audit-retention.js';

describe.each(DIALECTS)('audit retention on $name', (dialect) => {
  it('removes entries older than the horizon, in chunks, and keeps the newer ones', async () => {
    const h = await openHarness(dialect);
    try {
      const db = h.app.store.db;
      const entry = (ts: number, action: string) => ({ ts, actor: null, action, resource_type: 'test', resource_id: null, details: null });
      await db.insertInto('audit_log').values([...Array.from({ length: 7 }, (_, i) => entry(1_000 + i, 'old')), entry(5_000, 'new'), entry(6_000, 'new')]).execute();
      expect(await pruneAuditLog(db, 2_000, { batchSize: 3 })).toBe(7);
      const left = await db.selectFrom('audit_log').select(['action', 'ts']).where('resource_type', '=', 'test').orderBy('ts').execute();
      expect(left).toEqual([{ action: 'new', ts: 5_000 }, { action: 'new', ts: 6_000 }]);
    } finally {
      await h.app.close();
    }
  });
});
