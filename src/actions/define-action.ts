import type { Static, TSchema } from '@sinclair/typebox';
import type { StepLogger } from '../engine/node-handler.js';
import type { CodeParams } from '../model/code-fields.js';
import type { CredentialResolver } from '../model/credentials.js';
import type { RetryPolicy } from '../model/types.js';

export type { CredentialResolver, ResolvedCredential } from '../model/credentials.js';

export const ACTION_CATEGORIES = ['incident', 'deployment', 'infrastructure', 'communication', 'data', 'utility'] as const;
export type ActionCategory = (typeof ACTION_CATEGORIES)[number];

export interface ActionContext<P> {
  /** Params after template resolution, checked against `params`. */
  readonly params: P;
  readonly log: StepLogger;
  readonly signal: AbortSignal;
  /** Pass on to external systems that deduplicate (`Idempotency-Key` header, dedup keys...). */
  readonly idempotencyKey: string;
  readonly credentials: CredentialResolver;
}

export interface ActionDefinition<P extends TSchema = TSchema, O extends TSchema = TSchema> {
  /** snake_case id used as `config.action_type` (the seed's `send_slack`...). */
  readonly id: string;
  readonly name: string;
  readonly category: ActionCategory;
  readonly description: string;
  readonly params: P;
  /**
   * Params holding code (SQL, a shell line, script source, an argv's program and script text), each
   * with how to pass a value instead: they are never templated, and validation refuses templates in them.
   */
  readonly codeParams?: CodeParams;
  readonly output: O;
  /**
   * Retries of retryable failures (429, 5xx, timeouts) when neither the node nor the workflow sets a
   * policy: the vendor's documented guidance (vendor-retry.ts). Retry-After, when sent, is a floor.
   * @default one attempt
   */
  readonly retry?: RetryPolicy;
  run(ctx: ActionContext<Static<P>>): Promise<Static<O>>;
  /** Describes what `run` would do without doing it (dry runs, approvals). */
  plan?(ctx: Omit<ActionContext<Static<P>>, 'signal' | 'credentials'>): Promise<string> | string;
}

/** Typed identity: lets each action file infer `Static<P>` for its `run`. */
export function defineAction<P extends TSchema, O extends TSchema>(def: ActionDefinition<P, O>): ActionDefinition<P, O> {
  return def;
}

export type AnyAction = ActionDefinition<TSchema, TSchema>;
export type ActionCatalog = ReadonlyMap<string, AnyAction>;
