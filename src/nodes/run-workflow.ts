import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import type { ExecutionRecord } from '../engine/store-port.js';
import { isFinalExecutionStatus } from '../engine/statuses.js';
import { NonRetryableError, type ErrorRecord } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const runWorkflowSpec: NodeTypeSpec = {
  type: 'run_workflow',
  label: 'Run workflow',
  description:
    'Starts another workflow (a sub-workflow) with `input`; with `wait` the step waits durably for it and outputs its output plus `child_execution_id`, and a failed child fails the step.',
  configSchema: Type.Object(
    {
      workflow_id: Type.String({ minLength: 1, description: 'The workflow to run: its id or its unique name' }),
      input: Type.Optional(Type.Unknown({ description: "The child's input; templates allowed. Default: this step's input" })),
      wait: Type.Optional(Type.Boolean({ default: true, description: 'Wait for the child to finish (durably: no task is held)' })),
      version: Type.Optional(
        Type.Union([Type.Literal('active'), Type.Integer({ minimum: 1 })], { default: 'active', description: '`active` or a version number' }),
      ),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

export interface ChildStart {
  /** The workflow's id or unique name. */
  readonly workflow: string;
  readonly version: 'active' | number;
  readonly input: unknown;
  readonly wait: boolean;
  readonly parent: { readonly executionId: string; readonly nodeId: string; readonly runId: string };
  /** The parent step's idempotency key: a re-dispatched step finds the child it started before. */
  readonly idempotencyKey: string;
}

/** Starts child executions through the one start path (executions/sub-workflows.ts). */
export interface ChildStarter {
  start(req: ChildStart): Promise<ExecutionRecord>;
}

export const NO_CHILDREN: ChildStarter = {
  start: () => Promise.reject(new NonRetryableError('unavailable', 'sub-workflows cannot be started here')),
};

/** What a finished child gives its waiting parent step: output plus child id, or the error that fails the step. */
export function childOutcome(child: ExecutionRecord): { output: Record<string, unknown> } | { error: ErrorRecord } {
  if (child.status === 'completed') {
    const out = child.output;
    const base = out !== null && typeof out === 'object' && !Array.isArray(out) ? (out as Record<string, unknown>) : { output: out ?? null };
    return { output: { ...base, child_execution_id: child.id } };
  }
  const why = child.error?.message ?? child.status;
  return {
    error: {
      code: 'child_workflow_failed',
      message: `child execution ${child.id} ${child.status}: ${why}`,
      details: { child_execution_id: child.id, child_status: child.status, ...(child.error ? { child_error: child.error } : {}) },
    },
  };
}

export function runWorkflowNode(children: () => ChildStarter): NodeHandler {
  return {
    spec: runWorkflowSpec,
    // Starting the child is I/O (a commit): a leased step. The wait after it is durable state.
    inline: false,
    async run(ctx) {
      const wait = ctx.config['wait'] !== false;
      const version = ctx.config['version'] === undefined ? 'active' : (ctx.config['version'] as 'active' | number);
      const input = 'input' in ctx.config ? ctx.config['input'] : ctx.input;
      const child = await children().start({
        workflow: String(ctx.config['workflow_id']), version, input, wait, idempotencyKey: ctx.idempotencyKey,
        parent: { executionId: ctx.bindings.execution.id, nodeId: ctx.node.id, runId: ctx.runId },
      });
      ctx.log.log('info', `started child execution ${child.id}`, { child_execution_id: child.id, workflow_id: child.workflow_id });
      if (!wait) return { kind: 'done', output: { child_execution_id: child.id, workflow_id: child.workflow_id }, handle: 'out' };
      // A re-dispatched step (or a quick child) may find it finished already.
      if (isFinalExecutionStatus(child.status)) {
        const end = childOutcome(child);
        if ('error' in end) throw new NonRetryableError(end.error.code, end.error.message, { details: end.error.details ?? {} });
        return { kind: 'done', output: end.output, handle: 'out' };
      }
      return {
        kind: 'signal', until: null, timeoutHandle: 'out',
        waiting: { kind: 'workflow', child_execution_id: child.id, workflow_id: child.workflow_id },
      };
    },
  };
}
