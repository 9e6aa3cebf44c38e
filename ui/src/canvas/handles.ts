import type { NodeType, NodeTypeInfo } from '../api/types';
import type { HandlesOf } from './types';

/**
 * The handles each node type fires (docs/WORKFLOWS.md), used until GET /automation/node-types has
 * answered; the server's list wins afterwards, so the canvas offers what the engine accepts.
 */
export const DEFAULT_HANDLES: Readonly<Record<NodeType, readonly string[]>> = {
  trigger: ['out'],
  action: ['out', 'error'],
  condition: ['true', 'false'],
  loop: ['body', 'done'],
  parallel: ['out'],
  delay: ['out'],
  approval: ['approved', 'rejected', 'timeout'],
  notification: ['out', 'error'],
  script: ['out', 'error'],
  api_call: ['out', 'error'],
  database: ['out', 'error'],
  transform: ['out'],
  error_handler: ['out'],
  run_workflow: ['out', 'error'],
};

export function handlesFrom(types: readonly NodeTypeInfo[] | undefined): HandlesOf {
  const map = new Map<string, readonly string[]>(types?.map((t) => [t.type, t.handles]) ?? []);
  return (type) => map.get(type) ?? DEFAULT_HANDLES[type] ?? ['out'];
}

/** Trigger nodes start an execution: nothing connects into them. */
export function acceptsInput(type: NodeType): boolean {
  return type !== 'trigger';
}

/** Handles whose edges mean "something went wrong" or "no": drawn in a warning colour. */
export function handleTone(handle: string): 'ok' | 'bad' | 'neutral' {
  if (handle === 'error' || handle === 'false' || handle === 'rejected' || handle === 'timeout') return 'bad';
  if (handle === 'true' || handle === 'approved') return 'ok';
  return 'neutral';
}
