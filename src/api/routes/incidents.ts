import { incidentNotFound } from '../../incidents/incident-errors.js';
import { presentIncident, presentIncidentDetail } from '../present/incident.js';
import { IdParams, problems } from '../schemas/common.js';
import { CreateIncidentBody, IncidentDetailSchema, IncidentListQuery, IncidentListSchema, UpdateIncidentBody } from '../schemas/incident.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['incidents'];

/** The incident with its timeline, as every incident route answers after a change. */
export async function incidentDetail(deps: ApiDeps, id: string) {
  const d = await deps.app.incidents.getIncident(id);
  if (!d) throw incidentNotFound(id);
  return presentIncidentDetail(d);
}

/** Listing, reading, opening and editing incidents. Transitions are in incident-actions.ts. */
export function incidentRoutes(f: Api, deps: ApiDeps): void {
  const { incidents } = deps.app;

  f.get('/automation/incidents', {
    schema: { tags, summary: 'Incidents, newest first, filtered by status, severity and service', querystring: IncidentListQuery, response: { 200: IncidentListSchema, ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const page = await incidents.listIncidents(req.query);
    return { items: page.items.map(presentIncident), next_cursor: page.next_cursor };
  });

  f.get('/automation/incidents/:id', {
    schema: { tags, summary: 'An incident with its timeline (oldest first) and its alerts', params: IdParams, response: { 200: IncidentDetailSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, (req) => incidentDetail(deps, req.params.id));

  f.post('/automation/incidents', {
    schema: {
      tags, summary: 'Open an incident (201); with an open dedup_key, its incident is answered instead (200)', body: CreateIncidentBody,
      response: { 200: IncidentDetailSchema, 201: IncidentDetailSchema, ...problems(400, 404) },
    },
    config: { minRole: 'operator' },
  }, async (req, reply) => {
    const { incident, created } = await incidents.createIncident(req.body, { actor: req.principal!.name });
    if (created) req.log.info({ incident_id: incident.id, severity: incident.severity }, 'incident opened');
    return reply.code(created ? 201 : 200).header('location', `/automation/incidents/${incident.id}`).send(await incidentDetail(deps, incident.id));
  });

  f.patch('/automation/incidents/:id', {
    schema: { tags, summary: 'Change title, description, severity or service (recorded on the timeline)', params: IdParams, body: UpdateIncidentBody, response: { 200: IncidentDetailSchema, ...problems(400, 404) } },
    config: { minRole: 'operator' },
  }, async (req) => {
    await incidents.updateIncident(req.params.id, req.body, { actor: req.principal!.name });
    return incidentDetail(deps, req.params.id);
  });
}
