import { Type } from '@sinclair/typebox';
import { AuditLog } from '../../store/audit-log.js';
import type { Api, ApiDeps } from '../types.js';

const Entry = Type.Object({
  id: Type.Integer(), ts: Type.String({ format: 'date-time' }), actor: Type.Union([Type.String(), Type.Null()]), action: Type.String(),
  resource_type: Type.String(), resource_id: Type.Union([Type.String(), Type.Null()]), details: Type.Unknown(),
});

/** The append-only audit log, newest first, for admins. */
export function auditRoutes(f: Api, deps: ApiDeps): void {
  const audit = new AuditLog(deps.app.store.db, () => deps.app.store.settleEffects());
  f.get('/automation/admin/audit', {
    schema: {
      tags: ['admin'], summary: 'Audit log: every API mutation and every execution start, newest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries with a smaller id (paging)' })),
        resource_id: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Entry) }) },
    },
    config: { minRole: 'admin' },
  }, async (req) => {
    const rows = await audit.list({ limit: req.query.limit ?? 100, ...(req.query.before ? { before: req.query.before } : {}), ...(req.query.resource_id ? { resource_id: req.query.resource_id } : {}) });
    return { items: rows.map((r) => ({ ...r, ts: new Date(r.ts).toISOString() })) };
  });
}
