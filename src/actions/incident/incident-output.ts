import type { Incident } from '../../incidents/incident-types.js';

export function incidentSummary(incident: Incident): { incident_id: string; number: number; key: string; status: string; severity: string } {
  return { incident_id: incident.id, number: incident.number, key: incident.key, status: incident.status, severity: incident.severity };
}
