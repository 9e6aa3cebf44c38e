import type { JsonObject, Role } from './types';

/** Credentials, approvals, incidents and API keys as the UI reads them (src/api/schemas are the source of truth). */

export interface Credential {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly secret_fields_set: readonly string[];
  /** Hosts the secret may be sent to (empty: the type's defaults, `effective_allowed_hosts`). */
  readonly allowed_hosts?: readonly string[];
  readonly effective_allowed_hosts?: readonly string[];
  readonly created_at: string | number;
  readonly updated_at: string | number;
}

export interface CredentialTypeInfo {
  readonly type: string;
  readonly label: string;
  readonly schema?: JsonObject;
  readonly secret?: readonly string[];
  readonly secret_fields?: readonly string[];
}

/** A pending approval: an approval node parked until someone answers (GET /automation/approvals). */
export interface Approval {
  readonly run_id: string;
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly node_id: string;
  readonly scope?: string;
  readonly message: string;
  readonly approvers: readonly string[];
  /** What approving will do, one line per action on the approved path. */
  readonly plan: readonly string[];
  readonly requested_at: string | null;
  readonly expires_at: string | null;
  readonly can_answer: boolean;
}

export interface Incident {
  readonly id: string;
  readonly number: number;
  readonly key: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: string;
  readonly status: 'triggered' | 'acknowledged' | 'resolved';
  readonly service: string | null;
  readonly assignee: string | null;
  readonly created_at: string | number;
  readonly updated_at: string | number;
  readonly acknowledged_at: string | number | null;
  readonly resolved_at: string | number | null;
}

export interface IncidentEvent {
  readonly id: string;
  readonly at: string | number;
  readonly kind: string;
  readonly actor: string | null;
  readonly data: JsonObject | null;
}

export interface IncidentDetail extends Incident {
  readonly timeline?: readonly IncidentEvent[];
  readonly alerts?: readonly { id: string; summary: string; source: string; status: string; count: number }[];
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly prefix: string;
  readonly created_by: string | null;
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  readonly key?: string;
}
