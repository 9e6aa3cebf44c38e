import type { Static, TSchema } from '@sinclair/typebox';
import type { StepOutput } from '../engine/live-output.js';
import type { StepLogger } from '../engine/node-handler.js';
import type { CodeParams } from '../model/code-fields.js';
import type { CredentialResolver } from '../model/credentials.js';
import type { RetryPolicy } from '../model/types.js';
import type { Logger } from '../model/logger.js';
import type { DockerSocketAllowList } from './containers/docker-socket-allow-list.js';
import type { DeploymentLedger } from './deployment/deployment-ledger.js';
import type { EventEmitterPort } from './events/event-emitter-port.js';
import type { EgressGuard } from './http/egress-guard.js';
import type { FleetServices } from './fleet/fleet-ports.js';
import type { IncidentPort } from './incident/incident-port.js';
import type { ServiceAllowList } from './infrastructure/service-allow-list.js';
import type { StepSandbox } from './process/sandbox-policy.js';

export type { CredentialResolver, ResolvedCredential } from '../model/credentials.js';

export const ACTION_CATEGORIES = [
  'incident', 'deployment', 'infrastructure', 'communication', 'data', 'utility',
  'monitoring', 'paging', 'kubernetes', 'containers', 'code', 'identity', 'messaging', 'files', 'secrets',
] as const;
export type ActionCategory = (typeof ACTION_CATEGORIES)[number];

/**
 * What the app gives every step: built once in the composition root (app.ts) from its config and
 * store, and passed in each context (as graphile-worker passes JobHelpers to each task). Nothing
 * here is module state, so two apps in one process each run with their own.
 */
export interface ActionServices {
  /** The one egress policy: every HTTP, SMTP, database and SSH connection a step makes goes through it. */
  readonly egress: EgressGuard;
  /** Policy for steps that run code on this host, and where its refusals are audited. */
  readonly sandbox: StepSandbox;
  /** Which services restart_service may restart, and how. */
  readonly serviceControl: ServiceAllowList;
  /** Which Docker Engine unix sockets the docker actions may use (ITW_DOCKER_SOCKETS). */
  readonly dockerSockets: DockerSocketAllowList;
  readonly deployments: DeploymentLedger;
  readonly incidents: IncidentPort;
  /** Internal events (emit_event) reach the app's trigger manager. */
  readonly events: EventEmitterPort;
  /** The server's logger (pino in production): for what operators read, not the step's own log. */
  readonly logger: Logger;
  /** The host inventory and per-host results of fleet steps (`targets`). */
  readonly fleet: FleetServices;
}

export interface ActionContext<P> {
  /** Params after template resolution, checked against `params`. */
  readonly params: P;
  readonly log: StepLogger;
  /** Where a step running a process streams its stdout/stderr as written (the live view); optional. */
  readonly output?: StepOutput;
  readonly signal: AbortSignal;
  /** Pass on to external systems that deduplicate (`Idempotency-Key` header, dedup keys...). */
  readonly idempotencyKey: string;
  readonly credentials: CredentialResolver;
  readonly services: ActionServices;
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
  /**
   * The values in an output that are secrets (what a secrets manager returned): the engine registers
   * them with the redactor before the output is stored, so the execution record, step logs, the
   * server log and live events show `[redacted]`, as for credential fields; later steps of the same
   * run still receive the values. Strings under 4 characters are not redacted (the redactor's floor).
   */
  secretOutput?(output: Static<O>): readonly string[];
  /** Describes what `run` would do without doing it (dry runs, approvals). */
  plan?(ctx: Omit<ActionContext<Static<P>>, 'signal' | 'credentials' | 'services'>): Promise<string> | string;
}

/** Typed identity: lets each action file infer `Static<P>` for its `run`. */
export function defineAction<P extends TSchema, O extends TSchema>(def: ActionDefinition<P, O>): ActionDefinition<P, O> {
  return def;
}

export type AnyAction = ActionDefinition<TSchema, TSchema>;
export type ActionCatalog = ReadonlyMap<string, AnyAction>;
