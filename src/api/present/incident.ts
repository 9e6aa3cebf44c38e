import type { Alert, EscalationPolicy, Incident, IncidentDetail, IncidentEvent } from '../../incidents/incident-types.js';
import { iso } from '../schemas/common.js';

export function presentIncident(i: Incident) {
  return {
    id: i.id, number: i.number, key: i.key, title: i.title, description: i.description, severity: i.severity, status: i.status,
    service: i.service, assignee: i.assignee, escalation_policy_id: i.escalation_policy_id, escalation_level: i.escalation_level,
    escalation_round: i.escalation_round, external_refs: { ...i.external_refs },
    created_at: iso(i.created_at)!, updated_at: iso(i.updated_at)!, acknowledged_at: iso(i.acknowledged_at), resolved_at: iso(i.resolved_at),
  };
}

export function presentAlert(a: Alert) {
  return {
    id: a.id, dedup_key: a.dedup_key, source: a.source, severity: a.severity, status: a.status, summary: a.summary, count: a.count,
    first_seen: iso(a.first_seen)!, last_seen: iso(a.last_seen)!, acknowledged_at: iso(a.acknowledged_at), resolved_at: iso(a.resolved_at),
    payload: a.payload ?? null, incident_id: a.incident_id,
  };
}

function presentEvent(e: IncidentEvent) {
  return { id: e.id, at: iso(e.at)!, kind: e.kind, actor: e.actor, data: e.data };
}

/** The incident with its timeline (oldest first) and alerts. */
export function presentIncidentDetail(d: IncidentDetail) {
  return { ...presentIncident(d), timeline: d.timeline.map(presentEvent), alerts: d.alerts.map(presentAlert) };
}

export function presentPolicy(p: EscalationPolicy) {
  return {
    id: p.id, name: p.name, description: p.description, levels: p.levels.map((l) => ({ delay_minutes: l.delay_minutes, targets: l.targets.map((t) => ({ ...t })) })),
    repeat: p.repeat, created_at: iso(p.created_at)!, updated_at: iso(p.updated_at)!,
  };
}
