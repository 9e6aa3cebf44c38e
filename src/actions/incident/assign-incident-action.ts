import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { incidentSummary } from './incident-output.js';
import { IncidentIdParam, IncidentSummary } from './incident-schemas.js';
import { stepWrite } from './step-identity.js';

const AssignIncidentParams = Type.Object(
  {
    incident_id: IncidentIdParam,
    assignee: Type.String({ minLength: 1, maxLength: 200, description: 'User id or name now responsible' }),
  },
  { additionalProperties: false },
);

const AssignIncidentOutput = Type.Object({ ...IncidentSummary, assignee: Type.String() });

export const assignIncidentAction = defineAction({
  id: 'assign_incident',
  category: 'incident',
  name: 'Assign Incident',
  description: 'Makes someone responsible for an incident (recorded on its timeline).',
  params: AssignIncidentParams,
  output: AssignIncidentOutput,
  async run(ctx) {
    const { incident_id: id, assignee } = ctx.params;
    const incident = await ctx.services.incidents.assignIncident(id, assignee, stepWrite(ctx.idempotencyKey));
    ctx.log.log('info', `assigned incident ${incident.key} to ${assignee}`, { incident_id: id, assignee });
    return { ...incidentSummary(incident), assignee: incident.assignee ?? assignee };
  },
  plan(ctx) {
    return `assign incident ${ctx.params.incident_id} to ${ctx.params.assignee}`;
  },
});
