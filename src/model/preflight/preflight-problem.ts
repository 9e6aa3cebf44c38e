import type { TSchema } from '@sinclair/typebox';
import type { Host } from '../hosts/host.js';
import type { WorkflowDefinition } from '../types.js';

/**
 * One reason a workflow should not (or should only knowingly) be activated. The shape is shared with
 * the UI's activation dialog: keep it exactly this.
 */
export interface PreflightProblem {
  readonly code: string;
  readonly message: string;
  /** JSON pointer into the definition (`/nodes/2/config/auth/mode`). */
  readonly path?: string;
  readonly node_id?: string;
  readonly credential_id?: string;
  /** The credential types that would fit, comma separated (`http_bearer, http_basic`). */
  readonly credential_type?: string;
  /** The server setting to change (`ITW_RESTART_ALLOWED_SERVICES`). */
  readonly setting?: string;
}

export const PREFLIGHT_CODES = {
  definition: 'definition_invalid',
  triggerConfig: 'trigger_config_invalid',
  triggerUnavailable: 'trigger_type_unavailable',
  credentialMissing: 'credential_missing',
  credentialType: 'credential_type_mismatch',
  serviceNotAllowed: 'service_not_allowed',
  restartCommandMissing: 'restart_command_missing',
  sshHostKeyUnpinned: 'ssh_host_key_unpinned',
  dockerSocketNotAllowed: 'docker_socket_not_allowed',
  webhookPathTaken: 'webhook_path_taken',
  scheduleSoon: 'schedule_fires_soon',
  chatopsOff: 'slack_chatops_not_configured',
  workflowCallsItself: 'workflow_calls_itself',
  fleetHostUnknown: 'fleet_host_unknown',
  fleetNoHosts: 'fleet_targets_match_no_host',
} as const;

/** What preflight needs to know of a trigger type (a trigger source has all of it). */
export interface TriggerRules {
  readonly configSchema: TSchema;
  /** Checks beyond the schema, as `"/path: message"` lines. */
  check?(config: Record<string, unknown>): string[];
  routeKeys?(config: Record<string, unknown>): { keys: readonly string[]; exclusive: boolean };
}

/** A credential as preflight sees it: never its secrets. */
export interface CredentialFact {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** Its non-secret fields (an ssh_key's pinned host keys). */
  readonly fields: Readonly<Record<string, string>>;
}

/** Everything outside the definition that activation depends on, gathered by the API's preflight service. */
export interface PreflightFacts {
  readonly workflowId: string;
  readonly now: number;
  readonly credentials: readonly CredentialFact[];
  readonly restartAllowedServices: readonly string[];
  readonly restartCommands: Readonly<Record<string, readonly string[]>>;
  /** ITW_DOCKER_SOCKETS: the unix sockets docker steps may use. */
  readonly dockerSockets: readonly string[];
  readonly triggers: ReadonlyMap<string, TriggerRules>;
  /** Another workflow's trigger already holding an exclusive ingress route (`webhook`, `POST /x`). */
  routeHolder(type: string, key: string): string | undefined;
  /** Whether the server has a Slack app for ChatOps (ITW_SLACK_CREDENTIAL). @default true */
  readonly slackChatOps?: boolean;
  /** The host inventory, for fleet steps' `targets`; undefined: not checked. */
  readonly hosts?: readonly Host[];
  /** Epoch ms of a schedule trigger's next tick after `from`; undefined when it never fires. */
  nextScheduleTick(config: Record<string, unknown>, from: number): number | undefined;
}

export interface PreflightFindings {
  readonly problems: PreflightProblem[];
  readonly warnings: PreflightProblem[];
}

/** One preflight rule: pure, over the definition and the gathered facts. */
export type PreflightCheck = (def: WorkflowDefinition, facts: PreflightFacts) => PreflightFindings;

export const NO_FINDINGS: PreflightFindings = { problems: [], warnings: [] };
