import { nodeCodeFields, type CodeField, type ConfigPath } from '../model/code-fields.js';
import type { CredentialResolver } from '../model/credentials.js';
import type { NodeTypeSpec } from '../model/node-spec.js';
import type { RetryPolicy, WorkflowNode } from '../model/types.js';
import type { StepOutput } from './live-output.js';

/**
 * Structured per-step log line: stored with the node execution and, once stored, written to the
 * server's log (EngineOptions.logger, pino in production) with execution_id / node_id, redacted.
 */
export type StepLogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface StepLogger {
  log(level: StepLogLevel, message: string, data?: Record<string, unknown>): void;
}

/** The expression bindings of ARCHITECTURE.md §2, as seen by one step. */
export interface Bindings {
  readonly input: unknown;
  readonly trigger: unknown;
  readonly nodes: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly execution: { readonly id: string; readonly workflow_id: string; readonly version: number };
  readonly item?: unknown;
  readonly index?: number;
  readonly error?: unknown;
}

export interface NodeContext {
  readonly node: WorkflowNode;
  /** `config` with every `{{ }}` template resolved; expression fields are left raw. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly input: unknown;
  readonly bindings: Bindings;
  /** Aborted on node timeout, workflow timeout, cancellation and shutdown. */
  readonly signal: AbortSignal;
  /** `execution_id:node_id:scope:attempt`: stable across re-dispatch of the same attempt. */
  readonly idempotencyKey: string;
  /** This attempt's node execution id (what a signal answering it names). */
  readonly runId: string;
  readonly attempt: number;
  readonly log: StepLogger;
  /** A process's output as it is written, to the execution's live view (redacted, bounded); absent when nobody listens. */
  readonly output?: StepOutput;
  /** Resolves credential ids for this step; values are redacted from everything stored. */
  readonly credentials: CredentialResolver;
  /** Registers a value the step learnt as secret (ActionDefinition.secretOutput): redacted from everything stored or emitted. */
  markSecret(value: string): void;
  /** Evaluates raw JSONata against this step's bindings (`$input` is also the context `$`). */
  evaluate(expression: string, extra?: Readonly<Record<string, unknown>>): Promise<unknown>;
  now(): number;
  /** The nodes edges from `handle` lead to (what an approval will let run). */
  next(handle: string): readonly WorkflowNode[];
  /** Resolves `{{ }}` templates in any config-like value against this step's bindings, code fields left as written. */
  resolve(config: Readonly<Record<string, unknown>>, expressionFields?: readonly string[], code?: readonly ConfigPath[]): Promise<Record<string, unknown>>;
}

/** What a node's handler tells the engine. */
export type NodeOutcome =
  | { readonly kind: 'done'; readonly output: unknown; readonly handle: string }
  /** Park durably until `until` (epoch ms), then complete with the input as output on `out`. */
  | { readonly kind: 'wait'; readonly until: number }
  /**
   * Park durably until someone answers (Engine.signal names the handle and output), or until
   * `until` passes, which fires `timeoutHandle`. `waiting` is shown to whoever may answer.
   */
  | { readonly kind: 'signal'; readonly until: number | null; readonly timeoutHandle: string; readonly waiting: Readonly<Record<string, unknown>> }
  /** Run the loop body once per item, `concurrency` iterations at a time, then fire `done`. */
  | { readonly kind: 'loop'; readonly items: readonly unknown[]; readonly concurrency: number };

export interface NodeHandler {
  readonly spec: NodeTypeSpec;
  /**
   * Inline handlers are cheap and deterministic (no I/O): the engine runs them in the same
   * transition as the step that made them ready. Others run outside it under a lease.
   */
  readonly inline: boolean;
  run(ctx: NodeContext): Promise<NodeOutcome>;
  /** Code fields of a config beyond the spec's raw fields (an action's code params); see codeFieldsOf. */
  codeFields?(config: Readonly<Record<string, unknown>>): readonly CodeField[];
  /** Retry policy for a node that sets none and a workflow without retry_on_failure (retry-policy.ts). */
  defaultRetry?(config: Readonly<Record<string, unknown>>): RetryPolicy | undefined;
}

/** Where a node's config holds code, never templated (model/code-fields.ts). */
export function codePathsOf(handler: NodeHandler, config: Readonly<Record<string, unknown>>): ConfigPath[] {
  const fields = handler.codeFields ? handler.codeFields(config) : nodeCodeFields(config, handler.spec);
  return fields.map((f) => f.path);
}

export type NodeRegistry = ReadonlyMap<string, NodeHandler>;
