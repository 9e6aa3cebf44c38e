import type { Incident } from '../../incidents/incident-types.js';
import type { WriteOptions } from '../../incidents/unit-of-work.js';
import { IdParams, problems } from '../schemas/common.js';
import { AssignBody, EscalateBody, IncidentDetailSchema, NoteBody, ResolveBody } from '../schemas/incident.js';
import type { Api, ApiDeps } from '../types.js';
import { incidentDetail } from './incidents.js';

const tags = ['incidents'];

/**
 * Incident transitions, each recorded on the timeline with the caller as actor: assign, acknowledge
 * (stops escalation), escalate (pages the next level now), resolve, and notes. Resolved incidents
 * refuse all but notes and resolve (409); resolving twice changes nothing.
 */
export function incidentActionRoutes(f: Api, deps: ApiDeps): void {
  const { incidents } = deps.app;
  const response = { 200: IncidentDetailSchema, ...problems(400, 404, 409) };
  const config = { minRole: 'operator' } as const;
  const actor = (name: string): WriteOptions => ({ actor: name });
  const logged = (req: { log: { info(o: object, m: string): void } }, what: string, i: Incident) => req.log.info({ incident_id: i.id, status: i.status }, `incident ${what}`);

  f.post('/automation/incidents/:id/assign', { schema: { tags, summary: 'Assign to someone', params: IdParams, body: AssignBody, response }, config }, async (req) => {
    logged(req, 'assigned', await incidents.assignIncident(req.params.id, req.body.assignee, actor(req.principal!.name)));
    return incidentDetail(deps, req.params.id);
  });

  f.post('/automation/incidents/:id/acknowledge', { schema: { tags, summary: 'Acknowledge: stops escalation (acknowledged again: no change)', params: IdParams, response }, config }, async (req) => {
    logged(req, 'acknowledged', await incidents.acknowledgeIncident(req.params.id, actor(req.principal!.name)));
    return incidentDetail(deps, req.params.id);
  });

  f.post('/automation/incidents/:id/escalate', { schema: { tags, summary: "Escalate to the policy's next level now and page it", params: IdParams, body: EscalateBody, response }, config }, async (req) => {
    logged(req, 'escalated', await incidents.escalateIncident(req.params.id, { ...actor(req.principal!.name), reason: req.body?.reason }));
    return incidentDetail(deps, req.params.id);
  });

  f.post('/automation/incidents/:id/resolve', { schema: { tags, summary: 'Resolve, with its alerts; pending escalation is cancelled', params: IdParams, body: ResolveBody, response }, config }, async (req) => {
    logged(req, 'resolved', await incidents.resolveIncident(req.params.id, { ...actor(req.principal!.name), resolution: req.body?.resolution }));
    return incidentDetail(deps, req.params.id);
  });

  f.post('/automation/incidents/:id/notes', { schema: { tags, summary: 'Add a note to the timeline', params: IdParams, body: NoteBody, response }, config }, async (req) => {
    await incidents.addNote(req.params.id, req.body.text, actor(req.principal!.name));
    return incidentDetail(deps, req.params.id);
  });
}
