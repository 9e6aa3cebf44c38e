import type { Incident } from './incident-types.js';

/** `[INC-42] CRITICAL: Database down (payments)`: the line every channel leads with. */
export function pageSubject(incident: Incident): string {
  const service = incident.service === null ? '' : ` (${incident.service})`;
  return `[${incident.key}] ${incident.severity.toUpperCase()}: ${incident.title}${service}`;
}

/** Subject, description and the escalation level, for channels with room for more than a line. */
export function pageBody(incident: Incident, level: number): string {
  const lines = [pageSubject(incident)];
  if (incident.description) lines.push('', incident.description);
  lines.push('', `Escalation level ${level + 1}. Acknowledge to stop escalation.`);
  return lines.join('\n');
}

/** SMS: one segment where possible (160 chars), never over the action's limit. */
export function pageSms(incident: Incident): string {
  const text = `${pageSubject(incident)} - acknowledge to stop escalation`;
  return text.length <= 1600 ? text : `${text.slice(0, 1599)}…`;
}
