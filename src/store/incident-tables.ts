import type { AlertStatus, IncidentEventKind, IncidentStatus, Provider, Severity } from '../incidents/incident-types.js';

/**
 * Rows of migration 005 (the incident module's tables) as both dialects return them (schema.ts
 * conventions: JSON as text, epoch ms as numbers); part of the one `Database` type (schema.ts). Type aliases, not interfaces: Kysely's table maps need an implicit index signature.
 */
export type AlertsTable = {
  id: string;
  dedup_key: string;
  source: string;
  severity: Severity;
  status: AlertStatus;
  summary: string;
  count: number;
  first_seen: number;
  last_seen: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  payload: string | null;
  incident_id: string | null;
};

export type IncidentsTable = {
  id: string;
  number: number;
  title: string;
  description: string | null;
  severity: Severity;
  status: IncidentStatus;
  service: string | null;
  assignee: string | null;
  escalation_policy_id: string | null;
  escalation_level: number;
  escalation_round: number;
  external_refs: string;
  idempotency_key: string | null;
  created_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
};

export type IncidentEventsTable = {
  id: string;
  incident_id: string;
  at: number;
  kind: IncidentEventKind;
  actor: string | null;
  data: string | null;
  idempotency_key: string | null;
};

export type EscalationPoliciesTable = {
  id: string;
  name: string;
  description: string | null;
  levels: string;
  repeat: number;
  created_at: number;
  updated_at: number;
};

export const TIMER_STATUSES = ['pending', 'done', 'cancelled'] as const;
export type TimerStatus = (typeof TIMER_STATUSES)[number];

export type IncidentTimersTable = {
  id: string;
  incident_id: string;
  due_at: number;
  kind: 'escalate';
  level: number;
  repeat_round: number;
  status: TimerStatus;
  /** TimerData as JSON. */
  data: string | null;
  created_at: number;
};

export const SYNC_STATUSES = ['pending', 'done', 'failed'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const SYNC_ACTIONS = ['acknowledge', 'resolve'] as const;
export type SyncAction = (typeof SYNC_ACTIONS)[number];

/** Migration 012: a state change still to be sent to a provider the incident was forwarded to. */
export type IncidentSyncTable = {
  id: string;
  incident_id: string;
  provider: Provider;
  action: SyncAction;
  /** ExternalRef as JSON. */
  ref: string;
  note: string | null;
  status: SyncStatus;
  attempts: number;
  due_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
};

export type IncidentCountersTable = {
  name: string;
  value: number;
};

export type IncidentTables = {
  alerts: AlertsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  escalation_policies: EscalationPoliciesTable;
  incident_timers: IncidentTimersTable;
  incident_counters: IncidentCountersTable;
  incident_sync: IncidentSyncTable;
};
