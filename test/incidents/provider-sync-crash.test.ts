import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { httpFixture, json } from '../support/http-fixture.js';

const CHILD = fileURLToPath(new URL('../support/incident-sync-child.ts', import.meta.url));

// The incident tables are part of the store's one Database type (store/schema.ts).
const incidentDb = (store: Store) => store.db;

function startChild(dataDir: string, url: string, mode: 'change' | 'drain') {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  let out = '';
  const line = (prefix: string) => new Promise<string>((r) => proc.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = new RegExp(`^${prefix}(.*)$`, 'm').exec(out);
    if (m) r(m[1]!.trim());
  }));
  return { proc, exited, line };
}

describe('incident sync across kill -9', () => {
  let dataDir: string;
  let answering = false;
  let pd: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'itw-sync-crash-'));
    // PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/acknowledge-events/):
    // until the kill it never answers, so the first process dies with the acknowledge unsent or in flight.
    pd = await httpFixture((req, res) => {
      if (answering) json(res, 202, { status: 'success', message: 'Event processed', dedup_key: (JSON.parse(req.body) as { dedup_key: string }).dedup_key });
    });
  });
  afterAll(async () => {
    await pd.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an acknowledge made just before the kill reaches PagerDuty after restart', async () => {
    const first = startChild(dataDir, pd.url, 'change');
    const incidentId = await first.line('changed ');
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const midway = await openStore({ dataDir });
    const pending = await incidentDb(midway).selectFrom('incident_sync').selectAll().execute();
    await midway.close();
    expect(pending.map((r) => r.status)).toEqual(['pending']);

    answering = true;
    const second = startChild(dataDir, pd.url, 'drain');
    await second.line('synced');

    expect(await second.exited).toBe(0);
    const acks = pd.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>).filter((b) => b['event_action'] === 'acknowledge');
    expect(acks.length).toBeGreaterThan(0);
    expect(acks.at(-1)).toEqual({ routing_key: 'R0UT1NGKEY0123456789abcdef012345', event_action: 'acknowledge', dedup_key: incidentId, client: 'iTechSmart Workflow' });
    const store = await openStore({ dataDir });
    try {
      const rows = await incidentDb(store).selectFrom('incident_sync').selectAll().execute();
      expect(rows.map((r) => r.status)).toEqual(['done']);
      const timeline = await incidentDb(store).selectFrom('incident_events').select(['kind', 'data']).where('incident_id', '=', incidentId).execute();
      expect(timeline.map((e) => e.kind)).toContain('notified');
      const sent = timeline.filter((e) => e.kind === 'notified').map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown>);
      expect(sent).toContainEqual(expect.objectContaining({ provider: 'pagerduty', action: 'acknowledge', external_id: incidentId }));
    } finally {
      await store.close();
    }
  }, 60_000);
});
