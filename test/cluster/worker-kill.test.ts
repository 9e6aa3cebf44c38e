import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TestCluster } from '../support/cluster.js';
import { crashWorkflow, expectedOutput } from '../support/crash-workflow.js';
import { httpFixture, json } from '../support/http-fixture.js';

const COUNT = 5000;

describe('cluster: 1 API + 2 workers on PostgreSQL, one worker SIGKILLed mid-run', () => {
  const cluster = new TestCluster();
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    // Every /flaky/<n> fails its first call with 503, then answers {n}: retries are part of the run.
    const calls = new Map<string, number>();
    server = await httpFixture((req, res) => {
      const n = Number(req.url.split('/').pop());
      const c = (calls.get(req.url) ?? 0) + 1;
      calls.set(req.url, c);
      if (c === 1) json(res, 503, { busy: true }, { 'retry-after': '0' });
      else json(res, 200, { n });
    });
  });
  afterAll(async () => {
    await cluster.close();
    await server.close();
  });

  it(`${COUNT} executions (parallel branches, loop, delay, retry) end as one process would end them`, async () => {
    const { url, key, process: apiProcess } = await cluster.startApi();
    const w1 = await cluster.startWorker();
    const w2 = await cluster.startWorker();
    const created = await api(url, key, 'POST', '/automation/workflows', crashWorkflow(server.url));
    expect(created.status).toBe(201);
    const workflowId = (created.body as { id: string }).id;
    expect((await api(url, key, 'POST', `/automation/workflows/${workflowId}/activate`)).status).toBe(200);

    const store = await cluster.openStore();
    try {
      let next = 1;
      const posting = Promise.all(Array.from({ length: 20 }, async () => {
        while (next <= COUNT) {
          const n = next++;
          const r = await api(url, key, 'POST', `/automation/workflows/${workflowId}/execute`, { input_data: { n } });
          if (r.status !== 202) throw new Error(`execute ${n}: ${r.status} ${JSON.stringify(r.body)}`);
        }
      }));

      // Kill worker 1 while it holds jobs (steps or wake-ups in flight), or the test proves nothing.
      await new Promise((r) => setTimeout(r, 1000 + Math.floor(Math.random() * 3000)));
      const poolIds = async (owner: string) => {
        const row = await store.db.selectFrom('cluster_members').select('queue_worker_ids').where('id', '=', owner).executeTakeFirst();
        return row ? (JSON.parse(row.queue_worker_ids) as string[]) : [];
      };
      const w1Pools = await poolIds(w1.owner);
      expect(w1Pools.length).toBeGreaterThan(0);
      let heldAtKill = 0;
      for (let i = 0; i < 500 && heldAtKill === 0; i++) {
        const held = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(`${cluster.schema}_jobs`, '_private_jobs')} WHERE locked_by = ANY(${w1Pools})`.execute(store.db);
        heldAtKill = held.rows[0]?.n ?? 0;
        if (heldAtKill === 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(heldAtKill).toBeGreaterThan(0);
      w1.process.proc.kill('SIGKILL');
      expect(await w1.process.exited).toBeNull();
      const unfinishedAtKill = await store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n'))
        .where('status', 'not in', ['completed', 'failed', 'cancelled']).executeTakeFirstOrThrow();
      expect(Number(unfinishedAtKill.n)).toBeGreaterThan(0);

      await posting;
      for (;;) {
        const open = await store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n'))
          .where('status', 'not in', ['completed', 'failed', 'cancelled']).executeTakeFirstOrThrow();
        if (Number(open.n) === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }

      const executions = await store.db.selectFrom('executions').selectAll().execute();
      expect(executions).toHaveLength(COUNT);
      expect(executions.filter((e) => e.status !== 'completed').map((e) => [e.id, e.status, e.error])).toEqual([]);
      for (const e of executions) {
        const n = (JSON.parse(e.input_data as string) as { n: number }).n;
        expect(JSON.parse(e.output as string)).toEqual(expectedOutput(n));
      }
      // No node completed twice in the same scope, and nothing is left open.
      const doubles = await store.db.selectFrom('node_executions').select(['execution_id', 'node_id', 'scope'])
        .where('status', '=', 'completed').groupBy(['execution_id', 'node_id', 'scope']).having(({ fn }) => fn.countAll(), '>', 1).execute();
      expect(doubles).toEqual([]);
      const open = await store.db.selectFrom('node_executions').select('id').where('status', 'in', ['pending', 'running', 'waiting']).execute();
      expect(open).toEqual([]);
      // The dead worker was noticed and its jobs handed over: nothing is left in the queue.
      const members = await store.db.selectFrom('cluster_members').select('id').execute();
      expect(members.map((m) => m.id)).not.toContain(w1.owner);
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(`${cluster.schema}_jobs`, '_private_jobs')}`.execute(store.db);
      expect(left.rows[0]?.n).toBe(0);
      console.info(`cluster kill test: worker killed holding ${heldAtKill} jobs with ${unfinishedAtKill.n} executions unfinished; ${server.requests.length} HTTP calls`);
    } finally {
      await store.close();
    }
    apiProcess.proc.kill('SIGTERM');
    w2.process.proc.kill('SIGTERM');
    expect(await apiProcess.exited).toBe(0);
    expect(await w2.process.exited).toBe(0);
  }, 400_000);
});
