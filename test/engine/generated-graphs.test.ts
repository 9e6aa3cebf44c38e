import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { validateDefinition } from '../../src/model/validate-definition.js';
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../../src/model/types.js';
import { prng } from '../support/prng.js';

const CONDITIONS = ['$input.a = 1', '$count($keys($input)) > 5', 'true', 'false', '$exists($input)'];

/**
 * One random workflow of the shapes the engine must finish: transforms (some failing on purpose),
 * conditions, loops (some without a body, some nested, with concurrency), parallels, delays,
 * failing actions with error edges and retries, joins, edge conditions, disabled nodes and a
 * graph-level error handler. Loop bodies stay closed (every node's parents are in its own body)
 * so most graphs validate; those that do not are not run.
 */
function generate(seed: number): WorkflowDefinition {
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const nodes: WorkflowNode[] = [{ id: 'n0', node_type: 'trigger', config: { trigger_type: 'manual' } }];
  const edges: WorkflowEdge[] = [];
  const context = new Map<string, string>([['n0', '']]);
  const size = 3 + Math.floor(rnd() * 10);
  const handleOf = (p: WorkflowNode): { handle?: string; ctx: string } => {
    const ctx = context.get(p.id)!;
    switch (p.node_type) {
      case 'condition': return { handle: pick(['true', 'false']), ctx };
      case 'loop': return rnd() < 0.7 ? { handle: 'body', ctx: p.id } : { handle: 'done', ctx };
      case 'action': return rnd() < 0.5 ? { handle: 'error', ctx } : { ctx };
      default: return { ctx };
    }
  };
  for (let i = 1; i < size; i++) {
    const id = `n${i}`;
    const kind = pick(['transform', 'transform', 'fail', 'condition', 'loop', 'parallel', 'delay', 'action']);
    const node: WorkflowNode =
      kind === 'transform' ? { id, node_type: 'transform', config: { expression: pick(['$input', '{"i": ' + i + '}', '$nodes', '$error.message', '$item']) } }
      : kind === 'fail' ? { id, node_type: 'transform', config: { expression: `$error("fail ${i}")` } }
      : kind === 'condition' ? { id, node_type: 'condition', config: { expression: pick(CONDITIONS) } }
      : kind === 'loop' ? { id, node_type: 'loop', config: { items: pick(['[1, 2]', '[]', '[1]', '[1, 2, 3]']), concurrency: 1 + Math.floor(rnd() * 3) } }
      : kind === 'parallel' ? { id, node_type: 'parallel', config: {} }
      : kind === 'delay' ? { id, node_type: 'delay', config: { seconds: Math.floor(rnd() * 3) } }
      : { id, node_type: 'action', config: { action_type: 'transform_data', expression: pick(['$error("action fails")', '{"ok": true}']) },
          ...(rnd() < 0.3 ? { retry: { max_attempts: 2, backoff: 'fixed' as const, initial_seconds: 1 } } : {}) };
    if (rnd() < 0.15) (node as { disabled?: boolean }).disabled = true;
    const parent = pick(nodes.filter((p) => p.node_type !== 'error_handler'));
    const { handle, ctx } = handleOf(parent);
    edges.push({ id: `e${edges.length}`, source_node_id: parent.id, target_node_id: id, ...(handle ? { source_handle: handle } : {}),
      ...(rnd() < 0.2 ? { condition: pick(CONDITIONS) } : {}) });
    context.set(id, ctx);
    // Sometimes a join: a second parent from the same body.
    const second = nodes.filter((p) => p.id !== parent.id && p.node_type !== 'loop' && p.node_type !== 'error_handler' && context.get(p.id) === ctx);
    if (second.length > 0 && rnd() < 0.3) {
      const p2 = pick(second);
      const h2 = handleOf(p2).handle;
      edges.push({ id: `e${edges.length}`, source_node_id: p2.id, target_node_id: id, ...(h2 ? { source_handle: h2 } : {}) });
    }
    nodes.push(node);
  }
  if (rnd() < 0.4) {
    nodes.push({ id: 'eh', node_type: 'error_handler', config: {} }, { id: 'report', node_type: 'transform', config: { expression: '$error.node_id' } });
    edges.push({ id: `e${edges.length}`, source_node_id: 'eh', target_node_id: 'report' });
    context.set('eh', '');
  }
  return { name: `generated ${seed}`, nodes, edges, settings: { error_strategy: rnd() < 0.5 ? 'stop' : 'continue' } };
}

describe.each([SQLITE])('generated graphs on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(dialect); });
  afterAll(async () => { await h.close(); });

  it('every generated graph that validates reaches a final status', { timeout: 120_000 }, async () => {
    const started: Array<{ seed: number; id: string }> = [];
    for (let seed = 1; seed <= 400; seed++) {
      const def = generate(seed);
      if (!validateDefinition(def, h.app.catalog).ok) continue;
      started.push({ seed, id: (await h.start(def, { a: 1 })).id });
    }
    // Enough of them are real workflows for the check to mean something.
    expect(started.length).toBeGreaterThan(250);
    const finals = new Map(started.map((s) => [s.id, h.app.engine.waitForFinal(s.id).then(() => s.id)]));
    const done = new Set<string>();
    for (const p of finals.values()) void p.then((id) => done.add(id));
    // Drive the fake clock through delays and retry backoffs: 60 virtual seconds is far past any wait.
    for (let i = 0; i < 120 && done.size < started.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
      h.clock.advance(500);
    }
    const stuck = [];
    for (const s of started) {
      if (done.has(s.id)) continue;
      const r = await h.result(s.id);
      stuck.push(`seed ${s.seed}: ${r.execution.status}; open ${r.runs.filter((x) => ['pending', 'running', 'waiting'].includes(x.status)).map((x) => `${x.scope}/${x.node_id}`).join(' ')}`);
    }
    expect(stuck).toEqual([]);
  });
});
