import { type Static, Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { saveStatuspageIncident, statuspageConnection } from './statuspage-client.js';

const ID = 'statuspage_incident';
const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed'] as const;
const COMPONENT_STATUSES = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
const literals = <T extends string>(values: readonly T[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });
const ID_PATTERN = '^[A-Za-z0-9_-]+$';

const StatuspageIncidentParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type statuspage: {api_key, base_url?}' }),
    page_id: Type.String({ pattern: ID_PATTERN, description: 'Id of the status page (in its API settings)' }),
    incident_id: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'Update this incident; without it a new incident is created' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Incident title (required to create)' })),
    status: Type.Optional(literals(INCIDENT_STATUSES, 'investigating, identified, monitoring or resolved (scheduled maintenance: scheduled, in_progress, verifying, completed)')),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: 25000, description: 'The update text subscribers read' })),
    component_ids: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 100, description: 'Components the incident affects' })),
    components: Type.Optional(
      Type.Record(Type.String({ pattern: ID_PATTERN }), literals(COMPONENT_STATUSES, 'Component status'), {
        additionalProperties: false,
        description: 'Component id → new status: operational, under_maintenance, degraded_performance, partial_outage or major_outage',
      }),
    ),
    impact_override: Type.Optional(literals(IMPACTS, 'Impact shown instead of the one Statuspage computes: none, minor, major or critical')),
    deliver_notifications: Type.Optional(Type.Boolean({ description: 'Notify subscribers of this update (Statuspage default: true)' })),
  },
  { additionalProperties: false },
);

const StatuspageIncidentOutput = Type.Object({
  incident_id: Type.String({ description: 'Id to update the incident with later' }),
  name: Type.String(),
  status: Type.String({ description: 'Incident status after the call' }),
  shortlink: Type.Optional(Type.String({ description: 'Public short link to the incident' })),
  created: Type.Boolean({ description: 'true when this step opened the incident' }),
});

type Params = Static<typeof StatuspageIncidentParams>;

export const statuspageIncidentAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'paging',
  name: 'Statuspage Incident',
  description: 'Creates or updates an incident on an Atlassian Statuspage page (REST API v1): status, update text, affected components and their status.',
  params: StatuspageIncidentParams,
  output: StatuspageIncidentOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const creating = p.incident_id === undefined;
    if (creating && p.name === undefined) throw invalidParam(ID, '/name', 'name is required to create an incident');
    const conn = statuspageConnection(await ctx.credentials.get(p.credential_id, ['statuspage']));
    const fields = {
      name: p.name, status: p.status, body: p.body, impact_override: p.impact_override,
      component_ids: p.component_ids ?? (p.components === undefined ? undefined : Object.keys(p.components)),
      components: p.components, deliver_notifications: p.deliver_notifications,
    };
    const incident = await withSecretsMasked([conn.apiKey], () => saveStatuspageIncident(conn, p.page_id, p.incident_id, fields, outbound(ctx)));
    ctx.log.log('info', `${creating ? 'created' : 'updated'} Statuspage incident ${incident.id} (${incident.status})`, { incident_id: incident.id });
    return { incident_id: incident.id, name: incident.name, status: incident.status, created: creating, ...(incident.shortlink === undefined ? {} : { shortlink: incident.shortlink }) };
  },
  plan(ctx) {
    const p = ctx.params;
    const what = p.incident_id === undefined ? `create Statuspage incident ${quoted(p.name ?? '')} on page ${p.page_id}` : `update Statuspage incident ${p.incident_id}`;
    const components = Object.entries(p.components ?? {}).map(([id, s]) => `${id}=${s}`);
    return [what, p.status && `status ${p.status}`, components.length > 0 && `components ${components.join(', ')}`].filter(Boolean).join('; ');
  },
});
