import type { ExecutionRecord, NodeRunRecord } from './store-port.js';

/** Emitted after the change is committed, never before. */
export type EngineEvent =
  | { readonly type: 'execution'; readonly execution: ExecutionRecord }
  | { readonly type: 'node'; readonly run: NodeRunRecord };

export type EngineListener = (event: EngineEvent) => void;
