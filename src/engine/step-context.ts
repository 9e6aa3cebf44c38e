import type { CredentialResolver } from '../model/credentials.js';
import type { WorkflowNode } from '../model/types.js';
import type { ConfigPath } from '../model/code-fields.js';
import type { CompiledGraph, CompiledNode } from './compiled-graph.js';
import { evaluate, resolveConfig } from './expressions.js';
import type { StepOutput } from './live-output.js';
import type { Bindings, NodeContext, StepLogger, StepLogLevel } from './node-handler.js';
import type { NodeRunRecord } from './store-port.js';

/** A log line a step wrote; the engine stores it with the run's outcome. */
export interface StepLog {
  level: string;
  message: string;
  data: unknown;
}

/** A step's logger: collects its lines for the engine to store with the run. */
export class StepLogSink implements StepLogger {
  constructor(readonly lines: StepLog[]) {}

  log(level: StepLogLevel, message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level, message, data: data ?? null });
  }
}

/** What a step context needs from the engine beyond the run itself. */
export interface StepContextDeps {
  now(): number;
  markSecret(value: string): void;
  readonly credentials: CredentialResolver;
}

/**
 * The NodeContext one attempt of a node runs with. A class, not an object literal of closures: the
 * engine builds one per node run (tens of thousands a second on a busy webhook), and methods on the
 * prototype cost nothing per run. Handlers call its methods on it (`ctx.evaluate(...)`).
 */
export class StepContext implements NodeContext {
  readonly attempt: number;
  readonly runId: string;
  readonly input: unknown;
  readonly credentials: CredentialResolver;

  constructor(
    private readonly deps: StepContextDeps,
    private readonly graph: CompiledGraph,
    private readonly compiled: CompiledNode,
    private readonly run: NodeRunRecord,
    readonly config: Readonly<Record<string, unknown>>,
    readonly bindings: Bindings,
    readonly signal: AbortSignal,
    readonly log: StepLogger,
    readonly output: StepOutput | undefined,
  ) {
    this.attempt = run.attempt;
    this.runId = run.id;
    this.input = run.input;
    this.credentials = deps.credentials;
  }

  get node(): WorkflowNode {
    return this.compiled.node;
  }

  get idempotencyKey(): string {
    const r = this.run;
    return `${r.execution_id}:${r.node_id}:${r.scope}:${r.attempt}`;
  }

  evaluate(expression: string, extra?: Readonly<Record<string, unknown>>): Promise<unknown> {
    return evaluate(expression, this.bindings, extra);
  }

  now(): number {
    return this.deps.now();
  }

  markSecret(value: string): void {
    this.deps.markSecret(value);
  }

  next(handle: string): readonly WorkflowNode[] {
    return this.compiled.out.filter((e) => e.handle === handle).map((e) => this.graph.nodes.get(e.target)!.node);
  }

  resolve(value: Readonly<Record<string, unknown>>, fields: readonly string[] = [], code: readonly ConfigPath[] = []): Promise<Record<string, unknown>> {
    return resolveConfig(value, fields, this.bindings, code);
  }
}
