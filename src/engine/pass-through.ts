import type { CompiledNode } from './compiled-graph.js';

/**
 * The handle a disabled node passes its input through: its default one, or its first. A disabled
 * loop runs no iteration and passes its input on `done`, so what follows the loop still runs.
 */
export function passThroughHandle(node: CompiledNode): string {
  const spec = node.handler.spec;
  if (node.node.node_type === 'loop') return 'done';
  return spec.defaultHandle ?? spec.handles[0]!;
}
