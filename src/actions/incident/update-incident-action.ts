import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { incidentSummary } from './incident-output.js';
import { IncidentIdParam, IncidentSummary, SeverityParam } from './incident-schemas.js';
import { stepWrite } from './step-identity.js';

const ID = 'update_incident';

const UpdateIncidentParams = Type.Object(
  {
    incident_id: IncidentIdParam,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    description: Type.Optional(Type.String({ maxLength: 65_536 })),
    severity: Type.Optional(SeverityParam()),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536, description: 'Added to the timeline' })),
  },
  { additionalProperties: false },
);

const UpdateIncidentOutput = Type.Object({ ...IncidentSummary, title: Type.String() });

export const updateIncidentAction = defineAction({
  id: ID,
  category: 'incident',
  name: 'Update Incident',
  description: "Changes an incident's title, description, severity or service and/or adds a note to its timeline.",
  params: UpdateIncidentParams,
  output: UpdateIncidentOutput,
  async run(ctx) {
    const { incident_id: id, note, ...patch } = ctx.params;
    const fields = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined);
    const port = ctx.services.incidents;
    // Separate keys: the update's key is on its `updated` row, and must not make the note look done.
    const update = () => port.updateIncident(id, patch, stepWrite(ctx.idempotencyKey, 'update'));
    let incident;
    if (note === undefined) {
      if (fields.length === 0) throw invalidParam(ID, '/note', 'give at least one of title, description, severity, service or note');
      incident = await update();
    } else {
      if (fields.length > 0) await update();
      incident = await port.addNote(id, note, stepWrite(ctx.idempotencyKey, 'note'));
    }
    ctx.log.log('info', `updated incident ${incident.key}`, { incident_id: id, fields, note: note !== undefined });
    return { ...incidentSummary(incident), title: incident.title };
  },
  plan(ctx) {
    const { incident_id: id, note, ...patch } = ctx.params;
    const fields = Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k);
    const parts = [fields.length > 0 && `set ${fields.join(', ')}`, note !== undefined && `add note ${quoted(note)}`].filter(Boolean);
    return `update incident ${id}: ${parts.join('; ')}`;
  },
});
