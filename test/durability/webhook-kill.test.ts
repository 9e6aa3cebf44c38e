import Database from '../../src/store/sqlite-driver.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { createRepositories } from '../../src/store/repositories.js';
import { serveChild } from '../support/itw-serve-child.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-webhook-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** W1 of the performance harness: result-mode webhook → one transform → its output is the answer. */
const W1 = {
  name: 'sum orders',
  nodes: [
    { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'orders', methods: ['POST'], auth: { mode: 'none' }, response: { mode: 'result', node_id: 'sum' } } },
    { id: 'sum', node_type: 'transform', config: { expression: '{"n": $trigger.body.n, "i": $trigger.body.i, "total": $sum($trigger.body.items.price)}' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'sum' }],
};

interface Answered { readonly executionId: string; readonly body: { n: number; i: number; total: number } }

// A real `itw serve`, loaded by 20 senders and killed with SIGKILL mid-load: the test needs seconds.
describe('kill -9 under webhook load', { timeout: 120_000 }, () => {
  it('every answered request is a stored, completed execution whose node result is the answer, counted once in metrics and audit', async () => {
    const dataDir = join(dir, 'data');
    const server = await serveChild(dataDir);
    const url = server.url;
    const wf = { id: String((await server.call('POST', '/automation/workflows', W1)).body['id']) };
    expect((await server.call('POST', `/automation/workflows/${wf.id}/activate`)).status).toBe(200);

    const answered: Answered[] = [];
    let sending = true;
    const items = Array.from({ length: 20 }, (_, k) => ({ sku: `s${k}`, price: 1.5 }));
    const senders = Array.from({ length: 20 }, async (_, n) => {
      for (let i = 0; sending; i++) {
        try {
          const res = await fetch(`${url}/webhooks/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n, i, items }) });
          if (res.status === 200) answered.push({ executionId: res.headers.get('x-itw-execution-id')!, body: (await res.json()) as Answered['body'] });
        } catch {
          return; // the server is gone: what it answered before is what counts
        }
      }
    });
    while (answered.length < 300) await new Promise((r) => setTimeout(r, 20));
    await server.kill();
    sending = false;
    await Promise.all(senders);

    const left = new Database(join(dataDir, 'itw.sqlite'), { readonly: true });
    const journaled = (left.prepare('SELECT count(*) AS n FROM deferred_effects').get() as { n: number }).n;
    left.close();
    console.log(`webhook kill test: ${answered.length} answered; ${journaled} journal rows of effects left by the kill`);
    const store = await openStore({ dataDir });
    try {
      for (const a of answered) {
        expect(a.body.total).toBe(30);
        const loaded = await store.engine.loadExecution(a.executionId);
        expect(loaded?.execution.status, a.executionId).toBe('completed');
        const sum = loaded!.runs.find((r) => r.node_id === 'sum');
        expect(sum?.output).toEqual(a.body);
        expect(loaded!.execution.input_data).toMatchObject({ body: { n: a.body.n, i: a.body.i } });
      }
      // Metrics and audit log count exactly what is stored: the effects the killed process had
      // journaled but not applied yet are applied by this store's first flush, none twice.
      const count = async (status?: string) => {
        let q = store.db.selectFrom('executions').select((eb) => eb.fn.countAll<number | string>().as('n')).where('workflow_id', '=', wf.id);
        if (status !== undefined) q = q.where('status', '=', status);
        return Number((await q.executeTakeFirstOrThrow()).n);
      };
      const metrics = await createRepositories(store).metrics.workflow(wf.id);
      expect(metrics.completed).toBe(await count('completed'));
      expect(metrics.total_executions).toBe(await count());
      const audited = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('action', '=', 'execution.started')
        .where('resource_id', 'in', store.db.selectFrom('executions').select('id').where('workflow_id', '=', wf.id))
        .executeTakeFirstOrThrow();
      expect(Number(audited.n)).toBe(await count());
    } finally {
      await store.close();
    }
  });
});
