/**
 * The incident model (WIRE-FORMATS.md "Incident model", PagerDuty/Opsgenie semantics). Pure types: the
 * actions import them without pulling in the store.
 */

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Alerts and incidents share the lifecycle triggered → acknowledged → resolved. */
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type AlertStatus = IncidentStatus;

/** What a timeline row records. `updated` covers title/description/severity/service edits. */
export const INCIDENT_EVENT_KINDS = [
  'triggered',
  'alert_repeated',
  'acknowledged',
  'assigned',
  'escalated',
  'note',
  'updated',
  'resolved',
  'notified',
  /** A state change could not be sent to a provider the incident was forwarded to (retried or given up). */
  'sync_failed',
] as const;
export type IncidentEventKind = (typeof INCIDENT_EVENT_KINDS)[number];

export const TARGET_TYPES = ['user', 'email', 'slack_channel', 'sms'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export interface EscalationTarget {
  readonly type: TargetType;
  /** User id, e-mail address, Slack channel (#name or id) or E.164 number. */
  readonly value: string;
  /** Credential to send with (slack / smtp / twilio); @default the notifier's default for the type */
  readonly credential_id?: string | undefined;
}

export interface EscalationLevel {
  /** Minutes this level has to acknowledge before the next level is paged (PagerDuty's escalation delay). */
  readonly delay_minutes: number;
  readonly targets: readonly EscalationTarget[];
}

export interface EscalationPolicy {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly levels: readonly EscalationLevel[];
  /** Extra rounds through all levels after the last one (0 = page each level once). */
  readonly repeat: number;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface Alert {
  readonly id: string;
  readonly dedup_key: string;
  readonly source: string;
  readonly severity: Severity;
  readonly status: AlertStatus;
  readonly summary: string;
  /** Triggers received for this key while open. */
  readonly count: number;
  readonly first_seen: number;
  readonly last_seen: number;
  readonly acknowledged_at: number | null;
  readonly resolved_at: number | null;
  readonly payload: unknown;
  readonly incident_id: string | null;
}

export const PROVIDERS = ['pagerduty', 'opsgenie', 'servicenow'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Where an incident was forwarded, enough to update it there later. */
export interface ExternalRef {
  readonly provider: Provider;
  /** PagerDuty dedup_key, Opsgenie alias, ServiceNow sys_id. */
  readonly id: string;
  /** What people quote, when the provider has one (ServiceNow INC0010001). */
  readonly key?: string | undefined;
  readonly url?: string | undefined;
  /** The credential it was sent with, so a later resolve can reach the same account. */
  readonly credential_id: string;
}

export interface Incident {
  readonly id: string;
  /** Sequential, from 1. */
  readonly number: number;
  /** `INC-<number>`, what people quote. */
  readonly key: string;
  readonly title: string;
  readonly description: string | null;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly service: string | null;
  readonly assignee: string | null;
  readonly escalation_policy_id: string | null;
  /** Level last paged (0-based) and the round it was paged in. */
  readonly escalation_level: number;
  readonly escalation_round: number;
  readonly external_refs: Readonly<Partial<Record<Provider, ExternalRef>>>;
  readonly created_at: number;
  readonly updated_at: number;
  readonly acknowledged_at: number | null;
  readonly resolved_at: number | null;
}

export interface IncidentEvent {
  readonly id: string;
  readonly incident_id: string;
  readonly at: number;
  readonly kind: IncidentEventKind;
  /** User, `execution:<id>`, `alert:<source>` or `escalation`; null when unknown. */
  readonly actor: string | null;
  readonly data: Readonly<Record<string, unknown>> | null;
}

export interface IncidentDetail extends Incident {
  /** Oldest first. */
  readonly timeline: readonly IncidentEvent[];
  readonly alerts: readonly Alert[];
}

export function incidentKey(number: number): string {
  return `INC-${number}`;
}
