import type { EngineEvent } from '../engine/engine-events.js';
import type { Logger } from '../model/logger.js';
import type { ApprovalOutcome } from './approval-message.js';
import type { SlackApprovalSync } from './slack-approval-sync.js';

export interface SlackApprovalListenerDeps {
  readonly sync: SlackApprovalSync;
  readonly logger: Logger;
}

const DECIDED = new Set(['approved', 'rejected', 'timeout']);
const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Mirrors approvals into Slack from the engine's committed events: an approval node that starts
 * waiting with a `slack_channel` is posted there with buttons (once: the message row is claimed
 * first, so every process of a cluster may hear the event), and when it is answered (in Slack, the
 * UI or by link), times out or its execution ends, the message is rewritten with the outcome, once.
 * Slack being down never touches the execution: the approval still waits, and SlackApprovalSync
 * retries the call (and posts what a crash kept from ever reaching this listener).
 */
export class SlackApprovalListener {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: SlackApprovalListenerDeps) {}

  readonly onEvent = (event: EngineEvent): void => {
    const work = this.handle(event);
    if (work === undefined) return;
    const p = work.catch((err: unknown) => this.deps.logger.warn({ err, component: 'chatops' }, 'Slack approval message not recorded; the sweep takes it up'));
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  };

  /** Resolves once the Slack calls started so far are done (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private handle(event: EngineEvent): Promise<void> | undefined {
    const { sync } = this.deps;
    if (event.type === 'execution') {
      const status = event.execution.status;
      if (status === 'cancelled' || status === 'failed') return sync.closeAll(event.execution.id, status);
      return undefined;
    }
    const run = event.run;
    const state = record(run.state);
    const waiting = record(state?.['waiting']);
    if (run.status === 'waiting' && state?.['wait'] === 'signal' && waiting?.['kind'] === 'approval' && typeof waiting['slack_channel'] === 'string') {
      return sync.post({
        runId: run.id, executionId: run.execution_id, workflowId: event.workflow_id, channel: waiting['slack_channel'],
        message: typeof waiting['message'] === 'string' ? waiting['message'] : '', plan: strings(waiting['plan']),
      });
    }
    const output = record(run.output);
    const decision = output?.['decision'];
    if (run.status === 'completed' && typeof decision === 'string' && DECIDED.has(decision)) {
      return sync.settle(run.id, decision as ApprovalOutcome, typeof output?.['by'] === 'string' ? output['by'] : undefined);
    }
    return undefined;
  }
}
