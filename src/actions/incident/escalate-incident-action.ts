import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { quoted } from '../communication/plan-text.js';
import { incidentSummary } from './incident-output.js';
import { IncidentIdParam, IncidentSummary } from './incident-schemas.js';
import { stepWrite } from './step-identity.js';

const EscalateIncidentParams = Type.Object(
  {
    incident_id: IncidentIdParam,
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Recorded on the timeline' })),
  },
  { additionalProperties: false },
);

const EscalateIncidentOutput = Type.Object({
  ...IncidentSummary,
  escalation_level: Type.Integer({ description: 'Level now paged, 0-based' }),
});

export const escalateIncidentAction = defineAction({
  id: 'escalate_incident',
  category: 'incident',
  name: 'Escalate Incident',
  description: "Moves an incident to its escalation policy's next level now and pages it (re-triggering an acknowledged incident).",
  params: EscalateIncidentParams,
  output: EscalateIncidentOutput,
  async run(ctx) {
    const { incident_id: id, reason } = ctx.params;
    const incident = await ctx.services.incidents.escalateIncident(id, { ...stepWrite(ctx.idempotencyKey), reason });
    ctx.log.log('info', `escalated incident ${incident.key} to level ${incident.escalation_level + 1}`, { incident_id: id, level: incident.escalation_level });
    return { ...incidentSummary(incident), escalation_level: incident.escalation_level };
  },
  plan(ctx) {
    const { incident_id: id, reason } = ctx.params;
    return `escalate incident ${id} to its next level${reason === undefined ? '' : `: ${quoted(reason)}`}`;
  },
});
