import type { NodeTypeSpec } from '../node-spec.js';
import type { WorkflowEdge } from '../types.js';

/** The handle an edge leaves from; undefined when it names none and the type has no default. */
export function edgeHandle(
  edge: Pick<WorkflowEdge, 'source_handle'>,
  spec: Pick<NodeTypeSpec, 'defaultHandle'>,
): string | undefined {
  return edge.source_handle ?? spec.defaultHandle;
}
