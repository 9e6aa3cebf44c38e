import type { TSchema } from '@sinclair/typebox';
import type { Clock } from '../engine/clock.js';
import type { ExecutionResult } from '../engine/engine.js';
import type { ExecutionRecord } from '../engine/store-port.js';
import type { TriggerType } from '../nodes/trigger.js';

/**
 * One trigger attached to a workflow: an enabled workflow_triggers row of an active workflow, either
 * registered through the API or mirroring a trigger node of the active version (`nodeId`).
 */
export interface TriggerBinding<C = Record<string, unknown>> {
  /** The workflow_triggers row id: status and counters live there. */
  readonly id: string;
  readonly workflowId: string;
  readonly versionId: string;
  readonly type: TriggerType;
  /** Validated against the source's `configSchema`, defaults applied. */
  readonly config: C;
  /** The trigger node executions start at; null = the workflow's default entry points. */
  readonly nodeId: string | null;
}

/** One firing: what becomes the execution's input_data, and the key that makes a retry start nothing new. */
export interface Firing {
  readonly input: unknown;
  /** Delivery id, message id, file+mtime, alert key...; null when the source has none (every firing is new). */
  readonly key: string | null;
  /** The source will answer with the result (webhook result mode): Fired.result is then set. */
  readonly awaitResult?: boolean;
}

export type Fired =
  | {
      readonly execution: ExecutionRecord;
      /** The key had started an execution before: this is that one, nothing new started. */
      readonly duplicate: boolean;
      readonly debounced?: undefined;
      readonly dropped?: undefined;
      /**
       * With Firing.awaitResult: resolves once the execution is final, with the output of `nodeId`
       * (or the execution's), from what finished it when this process did: nothing is read back.
       */
      readonly result?: (nodeId?: string) => ExecutionResult | Promise<ExecutionResult>;
    }
  /** Held by the trigger's `debounce_seconds`: the burst's last event starts one execution at `until` (epoch ms). */
  | { readonly execution?: undefined; readonly duplicate: false; readonly debounced: { readonly until: number }; readonly dropped?: undefined; readonly result?: undefined }
  /** Over the trigger's `rate_limit` (listener sources; HTTP ingress is answered 429 instead): not started, counted. */
  | { readonly execution?: undefined; readonly duplicate: false; readonly debounced?: undefined; readonly dropped: true; readonly result?: undefined };

/** What a running source may do: fire, and tell the manager how its connection is doing. */
export interface TriggerContext {
  readonly binding: TriggerBinding;
  readonly clock: Clock;
  /** Starts (or finds, by key) the execution; resolves once it is recorded in the store. */
  fire(f: Firing): Promise<Fired>;
  /**
   * Resolves when the execution reaches a final status, with the output of `nodeId` (its latest
   * completed top-level attempt; undefined when it has none) or, without one, the execution's.
   */
  waitForResult(executionId: string, nodeId?: string): Promise<ExecutionResult>;
  /** The source lost its connection (broker down, mailbox unreachable): the manager records it and restarts it with backoff. */
  failed(err: unknown): void;
  /** The source is (back) up. */
  healthy(): void;
  /**
   * After a failed fire: when the database was down or full, resolves true once it answers again
   * (fire the same firing again: its key makes it start once); false at once for any other failure,
   * and false when the trigger stops meanwhile.
   */
  afterOutage(err: unknown): Promise<boolean>;
  /** The per-tick job key: true for the one process that should fire this tick. */
  claimTick(tickAt: number): Promise<boolean>;
  /** The latest tick claimed for this trigger, by any process. */
  lastTick(): Promise<number | undefined>;
  log(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
  /** False when `key` (an accepted signature) was seen before `until` (epoch ms) on this binding: a replay. */
  firstSeen(key: string, until: number): boolean;
}

/** A started source; stop() releases its listeners, connections and timers. */
export interface TriggerHandle {
  stop(): Promise<void>;
}

/** An HTTP request reaching an ingress source, framework-free: sources never import fastify. */
export interface IngressRequest {
  readonly method: string;
  /** The part of the path after the ingress prefix (`/webhooks/`), without query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string>>;
  /** The body's exact bytes: signatures are computed over these. */
  readonly rawBody: Buffer;
  /** Who called, for api_endpoint (resolved by the API's auth). */
  readonly principal?: { readonly id: string; readonly name: string; readonly role: string } | undefined;
}

export interface IngressResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON unless it is a string or Buffer. */
  readonly body: unknown;
}

/** A binding reachable over HTTP, with the context to fire it. */
export interface IngressTarget {
  readonly binding: TriggerBinding;
  readonly ctx: TriggerContext;
}

/**
 * One trigger type. Listener sources (schedule, broker events, email, file_watch, incident) open
 * their own connections in start(); ingress sources (webhook, api_endpoint, alert, deployment,
 * internal events) are reached through HTTP routes that find their bindings by `routeKey` and call
 * handle(). Every source validates its config with `configSchema` (TypeBox, defaults applied).
 */
export interface TriggerSource {
  readonly type: TriggerType;
  readonly configSchema: TSchema;
  /** Checks beyond the schema (a cron that does not parse, a missing secret); returns the problems. */
  check?(config: Record<string, unknown>): string[];
  /**
   * Ingress sources: the keys HTTP requests are routed by (`POST x`). `exclusive` keys may be held by
   * one binding only; others fan out to every binding holding them.
   */
  routeKeys?(config: Record<string, unknown>): { keys: readonly string[]; exclusive: boolean };
  /**
   * Must run in one process of a cluster (a mailbox polled, a subscription or a directory watched
   * by every API process would start one execution per process): only the leader runs it. A function
   * tells by the binding's (validated) config, for sources with both kinds of mode (email: IMAP yes,
   * SMTP no). Not for work the cluster already shares out (ticks claimed per schedule, competing
   * broker consumers, HTTP ingress).
   */
  readonly singleton?: boolean | ((config: Record<string, unknown>) => boolean);
  start(ctx: TriggerContext): Promise<TriggerHandle>;
  /** Ingress sources: authenticate, parse and fire every target that accepts the request. */
  handle?(req: IngressRequest, targets: readonly IngressTarget[]): Promise<IngressResponse>;
}

/** For sources that only answer HTTP: nothing to open or close. */
export const NO_HANDLE: TriggerHandle = { stop: () => Promise.resolve() };
