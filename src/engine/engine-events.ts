import type { ExecutionRecord, NodeRunRecord } from './store-port.js';

/**
 * Emitted after the change is committed, never before, in the order the changes happened within
 * each commit (a woken delay completes before the node it readied starts).
 */
export type EngineEvent =
  | {
      readonly type: 'execution';
      readonly execution: ExecutionRecord;
      /** The status before this commit; null when the commit created the execution. */
      readonly previous_status: ExecutionRecord['status'] | null;
      /** Committed by another process of the cluster (every API process hears it). */
      readonly remote?: true;
    }
  | { readonly type: 'node'; readonly run: NodeRunRecord; readonly workflow_id: string; readonly remote?: true };

export type EngineListener = (event: EngineEvent) => void;
