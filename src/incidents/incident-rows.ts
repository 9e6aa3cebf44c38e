import type { Selectable } from 'kysely';
import type { AlertsTable, EscalationPoliciesTable, IncidentEventsTable, IncidentsTable } from '../store/incident-tables.js';
import { incidentKey, type Alert, type EscalationLevel, type EscalationPolicy, type Incident, type IncidentEvent } from './incident-types.js';

function parse<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

// Number() on every BIGINT: connect.ts makes pg return int8 as numbers, but a Kysely handed in by
// someone else (a test, an embedding) may not.
export function toIncident(row: Selectable<IncidentsTable>): Incident {
  return {
    id: row.id,
    number: Number(row.number),
    key: incidentKey(Number(row.number)),
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    service: row.service,
    assignee: row.assignee,
    escalation_policy_id: row.escalation_policy_id,
    escalation_level: row.escalation_level,
    escalation_round: row.escalation_round,
    external_refs: parse<Incident['external_refs']>(row.external_refs) ?? {},
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    acknowledged_at: row.acknowledged_at === null ? null : Number(row.acknowledged_at),
    resolved_at: row.resolved_at === null ? null : Number(row.resolved_at),
  };
}

export function toAlert(row: Selectable<AlertsTable>): Alert {
  return {
    id: row.id,
    dedup_key: row.dedup_key,
    source: row.source,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    count: Number(row.count),
    first_seen: Number(row.first_seen),
    last_seen: Number(row.last_seen),
    acknowledged_at: row.acknowledged_at === null ? null : Number(row.acknowledged_at),
    resolved_at: row.resolved_at === null ? null : Number(row.resolved_at),
    payload: parse<unknown>(row.payload),
    incident_id: row.incident_id,
  };
}

export function toEvent(row: Selectable<IncidentEventsTable>): IncidentEvent {
  return {
    id: row.id,
    incident_id: row.incident_id,
    at: Number(row.at),
    kind: row.kind,
    actor: row.actor,
    data: parse<Record<string, unknown>>(row.data),
  };
}

export function toPolicy(row: Selectable<EscalationPoliciesTable>): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    levels: parse<EscalationLevel[]>(row.levels) ?? [],
    repeat: row.repeat,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}
