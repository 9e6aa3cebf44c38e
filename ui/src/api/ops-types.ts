import type { ItemOf, JsonAnswer, JsonBody } from './schema-types';
import type { JsonObject } from './base-types';

/** Credentials, approvals, incidents, users and API keys as the UI reads them (src/api/schemas are the source of truth). */

export type Credential = ItemOf<'/automation/credentials', 'get'>;

/** A credential type. The schema's `schema` is `unknown` (a JSON Schema, an object here). */
export type CredentialTypeInfo = Omit<ItemOf<'/automation/credential-types', 'get'>, 'schema'> & { readonly schema?: JsonObject };

/** A pending approval: an approval node parked until someone answers (GET /automation/approvals). */
export type Approval = ItemOf<'/automation/approvals', 'get'>;

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;

export type Incident = ItemOf<'/automation/incidents', 'get'>;

type IncidentAnswer = JsonAnswer<'/automation/incidents/{id}', 'get'>;

export type IncidentEvent = IncidentAnswer['timeline'][number];

export type IncidentDetail = Incident & Pick<IncidentAnswer, 'timeline' | 'alerts'>;

export type ApiKey = ItemOf<'/automation/admin/api-keys', 'get'>;

/** A user who signs in (GET /automation/admin/users, admins only); `slack_user_id` is the Slack member who acts as them in ChatOps. */
export type User = ItemOf<'/automation/admin/users', 'get'>;

/** What POST /automation/admin/users takes. */
export type NewUser = JsonBody<'/automation/admin/users', 'post'>;

/** What PATCH /automation/admin/users/{id} takes: any of role, password (ends all their sessions), slack_user_id; at least one. */
export type UserUpdate = JsonBody<'/automation/admin/users/{id}', 'patch'>;

/** An inventory host fleet steps (`targets`) run on (GET /automation/hosts). */
export type Host = ItemOf<'/automation/hosts', 'get'>;
