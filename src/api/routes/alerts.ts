import { presentAlert, presentIncident } from '../present/incident.js';
import { problems } from '../schemas/common.js';
import { AlertEventBody, AlertListQuery, AlertListSchema, IngestResultSchema } from '../schemas/incident.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['incidents'];

/** Alerts in our own simple format: deduplicated by key, each new one opening an incident. */
export function alertRoutes(f: Api, deps: ApiDeps): void {
  const { incidents } = deps.app;

  f.get('/automation/alerts', {
    schema: { tags, summary: 'Alerts, newest first, filtered by status, severity, source or incident', querystring: AlertListQuery, response: { 200: AlertListSchema, ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const page = await incidents.listAlerts(req.query);
    return { items: page.items.map(presentAlert), next_cursor: page.next_cursor };
  });

  f.post('/automation/alerts', {
    schema: {
      tags, summary: 'Send an alert event: trigger (201 when it opened an alert, 200 for a repeat), acknowledge or resolve by dedup_key',
      body: AlertEventBody, response: { 200: IngestResultSchema, 201: IngestResultSchema, ...problems(400) },
    },
    config: { minRole: 'operator' },
  }, async (req, reply) => {
    const r = await incidents.ingestAlert(req.body, { actor: `alert:${req.body.source ?? req.principal!.name}` });
    if (r.created) req.log.info({ alert_id: r.alert?.id, incident_id: r.incident?.id }, 'alert opened');
    return reply.code(r.created ? 201 : 200).send({
      alert: r.alert ? presentAlert(r.alert) : null, incident: r.incident ? presentIncident(r.incident) : null, created: r.created, incident_created: r.incident_created,
    });
  });
}
