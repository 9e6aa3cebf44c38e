import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';

/** trigger → sum (a new value) → echo ($input as is): the payload is shared along the whole path. */
const PIPE = {
  name: 'Pipe',
  nodes: [
    { id: 'start', node_type: 'trigger', config: {} },
    { id: 'pass', node_type: 'transform', config: { expression: '$input' } },
    { id: 'sum', node_type: 'transform', config: { expression: '{ "total": $sum($input.items.n) }' } },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'pass' }, { source_node_id: 'pass', target_node_id: 'sum' }],
};

const MARK = 'payload-marker-7f3a';

describe.each(DIALECTS)('execution history storage ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer(dialect);
  });
  afterAll(async () => s.close());

  it('stores a payload once per execution and still shows every node input and output', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: PIPE });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const input = { tag: MARK, items: Array.from({ length: 20 }, (_, i) => ({ n: i, name: `item-${i}` })) };
    const r = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: input } });
    const done = await untilStatus(s, String(r.body.id));
    expect(done.body.status).toBe('completed');
    expect(done.body.nodes.map((n: { node_id: string; input: unknown; output: unknown }) => [n.node_id, n.input, n.output])).toEqual([
      ['start', input, input],
      ['pass', input, input],
      ['sum', input, { total: 190 }],
    ]);

    // The payload's text is in the execution row and nowhere in its node rows.
    const db = s.app.store.db;
    const copies = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM node_executions
      WHERE execution_id = ${String(r.body.id)} AND (CAST(input AS TEXT) LIKE ${`%${MARK}%`} OR CAST(output AS TEXT) LIKE ${`%${MARK}%`})`.execute(db);
    expect(Number(copies.rows[0]?.n)).toBe(0);
    const refs = await db.selectFrom('node_executions').select(['node_id', 'input_ref', 'output_ref']).where('execution_id', '=', String(r.body.id)).orderBy('id').execute();
    expect(refs.map((x) => [x.node_id, x.input_ref, x.output_ref])).toEqual([
      ['start', '@input', '@input'], ['pass', '@input', '@input'], ['sum', '@input', null],
    ]);

    // Every reader resolves the references: the engine's reload, and runs fetched by id (cluster SSE).
    const loaded = await s.app.store.engine.loadExecution(String(r.body.id));
    const byId = await s.app.store.engine.getRuns([loaded!.runs[2]!.id, loaded!.runs[1]!.id]);
    expect(byId.map((x) => [x.node_id, x.input, x.output])).toEqual([['pass', input, input], ['sum', input, { total: 190 }]]);
    expect(loaded!.runs[0]!.output).toEqual(input);
  });

  it('pages a time range that ends in the past newest first, with a cursor', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: { ...PIPE, name: 'Pipe 3' } });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: { items: [{ n: i }] } } });
      await untilStatus(s, String(r.body.id));
      ids.push(String(r.body.id));
    }
    const until = new Date(Date.now() + 60_000).toISOString();
    const first = await s.call('GET', `/automation/executions?workflow_id=${wf.body.id}&until=${until}&limit=2`);
    expect(first.body.items.map((x: { id: string }) => x.id)).toEqual([ids[2], ids[1]]);
    const next = await s.call('GET', `/automation/executions?workflow_id=${wf.body.id}&until=${until}&limit=2&cursor=${first.body.next_cursor}`);
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], next_cursor: null });
    // A cursor that names no execution is still just a bound value: ids below it, nothing injected.
    const hostile = await s.call('GET', `/automation/executions?until=${until}&cursor=${encodeURIComponent("exec_' OR 1=1 --")}`, { as: 'viewer' });
    expect(hostile.status).toBe(200);
    expect(hostile.body.items).toEqual([]);
  });

  it('shows the same node values to a viewer, and hides executions from anonymous callers', async () => {
    const wf = await s.call('POST', '/automation/workflows', { body: { ...PIPE, name: 'Pipe 2' } });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const input = { tag: MARK, items: [{ n: 2 }] };
    const r = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: input } });
    await untilStatus(s, String(r.body.id));
    const viewer = await s.call('GET', `/automation/executions/${r.body.id}`, { as: 'viewer' });
    expect(viewer.body.nodes[1]).toMatchObject({ node_id: 'pass', input, output: input });
    expect((await s.call('GET', `/automation/executions/${r.body.id}`, { as: null })).status).toBe(401);
  });
});
