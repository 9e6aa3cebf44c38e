import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { serveChild } from '../support/itw-serve-child.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-debounce-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A webhook that folds a burst into one execution with its last event, 2 s after the burst ends. */
const DEBOUNCED = {
  name: 'Debounced deploy hook',
  nodes: [
    { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'deploys', methods: ['POST'], auth: { mode: 'none' }, debounce_seconds: 2 } },
    { id: 'echo', node_type: 'transform', config: { expression: '$trigger.body' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'echo' }],
};

// Real processes, killed with SIGKILL and started again on the same data dir: the test needs seconds.
describe('kill -9 within a debounce window', { timeout: 120_000 }, () => {
  it('the burst answered 202 still starts one execution, with its last event, in the next process', async () => {
    const dataDir = join(dir, 'data');
    const first = await serveChild(dataDir);
    const wf = await first.call('POST', '/automation/workflows', DEBOUNCED);
    expect((await first.call('POST', `/automation/workflows/${String(wf.body['id'])}/activate`)).status).toBe(200);
    for (const n of [1, 2, 3]) {
      const r = await fetch(`${first.url}/webhooks/deploys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });
      expect(r.status).toBe(202);
      expect(await r.json()).toMatchObject({ status: 'debounced' });
    }
    // Killed well inside the 2 s quiet period: nothing has started yet.
    await first.kill();

    const second = await serveChild(dataDir);
    try {
      const list = () => second.call('GET', `/automation/executions?workflow_id=${String(wf.body['id'])}`).then((r) => r.body.items ?? []);
      const [only] = await eventually('the held burst started', list, (items) => items.length > 0 && items.every((x) => x['status'] === 'completed'));
      const detail = await second.call('GET', `/automation/executions/${String(only!['id'])}`);
      expect(detail.body['input_data']).toMatchObject({ body: { n: 3 } });
      // Once: the next resyncs and a later event do not start it again.
      await new Promise((r) => setTimeout(r, 2500));
      expect(await list()).toHaveLength(1);
    } finally {
      await second.kill();
    }
  });
});
