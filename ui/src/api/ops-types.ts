import type { ItemOf, JsonAnswer } from './schema-types';
import type { JsonObject, Role } from './types';

/** Credentials, approvals, incidents and API keys as the UI reads them (src/api/schemas are the source of truth). */

export type Credential = ItemOf<'/automation/credentials', 'get'>;

/**
 * A credential type. The schema's `schema` is `unknown` (a JSON Schema, an object here); `secret`
 * is what older servers named `secret_fields`.
 */
export type CredentialTypeInfo = Omit<ItemOf<'/automation/credential-types', 'get'>, 'schema' | 'secret_fields'> & {
  readonly schema?: JsonObject;
  readonly secret_fields?: readonly string[];
  readonly secret?: readonly string[];
};

/** A pending approval: an approval node parked until someone answers (GET /automation/approvals). */
export type Approval = ItemOf<'/automation/approvals', 'get'>;

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;

/** An incident; the schema says `status: string`, the UI reads one of INCIDENT_STATUSES. */
export type Incident = Omit<ItemOf<'/automation/incidents', 'get'>, 'status'> & { readonly status: (typeof INCIDENT_STATUSES)[number] };

type IncidentAnswer = JsonAnswer<'/automation/incidents/{id}', 'get'>;

export type IncidentEvent = IncidentAnswer['timeline'][number];

export type IncidentDetail = Incident & Pick<IncidentAnswer, 'timeline' | 'alerts'>;

/** An API key; the schema says `role: string`, the UI reads one of ROLES. */
export type ApiKey = Omit<ItemOf<'/automation/admin/api-keys', 'get'>, 'role'> & { readonly role: Role };
