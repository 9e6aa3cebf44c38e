/** webhook → delay → transform: each acknowledged delivery leaves a durable wait behind it. */
export function delayedHook(name: string, path: string, seconds: number) {
  return {
    name,
    nodes: [
      { id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path, auth: { mode: 'none' } } },
      { id: 'wait', node_type: 'delay', config: { seconds } },
      { id: 'done', node_type: 'transform', config: { expression: '$trigger.body' } },
    ],
    edges: [{ source_node_id: 'in', target_node_id: 'wait' }, { source_node_id: 'wait', target_node_id: 'done' }],
  };
}
