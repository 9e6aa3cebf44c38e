import type { WorkflowDefinition } from '../../src/model/types.js';

/**
 * The crash test's workflow, mixing what a crash can interrupt:
 *
 *   start ──► route ─true──► nap (delay 0.5 s) ──► slept
 *               └──false──► call (503 once, retried after 0.3 s) ──► called
 *   start ──► each (loop over 3 items, concurrency 2) ─body─► sq
 *                └──done──► summed
 */
export function crashWorkflow(serverUrl: string): WorkflowDefinition {
  return {
    name: 'crash-test',
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'route', node_type: 'condition', config: { expression: '$trigger.n % 3 = 0' } },
      { id: 'nap', node_type: 'delay', config: { seconds: 0.5 } },
      { id: 'slept', node_type: 'transform', config: { expression: '$trigger.n * 2' } },
      { id: 'call', node_type: 'api_call', config: { url: `${serverUrl}/flaky/{{ $trigger.n }}`, timeout_seconds: 5 }, retry: { max_attempts: 5, backoff: 'fixed', initial_seconds: 0.3 } },
      { id: 'called', node_type: 'transform', config: { expression: '$input.body.n + 1000' } },
      { id: 'each', node_type: 'loop', config: { items: '[1, 2, 3]', concurrency: 2 } },
      { id: 'sq', node_type: 'transform', config: { expression: '$item * $trigger.n' } },
      { id: 'summed', node_type: 'transform', config: { expression: '$sum($input)' } },
    ],
    edges: [
      { id: 'e1', source_node_id: 'start', target_node_id: 'route' },
      { id: 'e2', source_node_id: 'route', target_node_id: 'nap', source_handle: 'true' },
      { id: 'e3', source_node_id: 'nap', target_node_id: 'slept' },
      { id: 'e4', source_node_id: 'route', target_node_id: 'call', source_handle: 'false' },
      { id: 'e5', source_node_id: 'call', target_node_id: 'called' },
      { id: 'e6', source_node_id: 'start', target_node_id: 'each' },
      { id: 'e7', source_node_id: 'each', target_node_id: 'sq', source_handle: 'body' },
      { id: 'e8', source_node_id: 'each', target_node_id: 'summed', source_handle: 'done' },
    ],
  };
}

/** What an uninterrupted run of input n ends with. */
export function expectedOutput(n: number): Record<string, number> {
  return n % 3 === 0 ? { slept: n * 2, summed: 6 * n } : { called: n + 1000, summed: 6 * n };
}
