import { Type } from '@sinclair/typebox';
import type { Incident } from '../../incidents/incident-types.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { quoted } from '../communication/plan-text.js';
import { incidentSummary } from './incident-output.js';
import { IncidentSummary, ProviderCredentialParam, SeverityParam } from './incident-schemas.js';
import type { OpsgenieResponder } from './opsgenie-alerts.js';
import { forwardTrigger, PROVIDER_CREDENTIAL_TYPES } from './provider-forwarding.js';
import { stepWrite } from './step-identity.js';
import { PAGERDUTY_RETRY } from '../vendor-retry.js';
import { outbound } from '../http/http-client.js';

const CreateIncidentParams = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 1024, description: 'What is wrong, in one line' }),
    description: Type.Optional(Type.String({ maxLength: 65_536 })),
    severity: SeverityParam(),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Affected service (filters, provider tags)' })),
    dedup_key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'While an alert with this key is open its incident is returned (created: false)' }),
    ),
    escalation_policy_id: Type.Optional(Type.String({ minLength: 1, description: 'Pages level 0 now and escalates until acknowledged' })),
    assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    provider_credential_id: ProviderCredentialParam('also open it there (PagerDuty Events v2, Opsgenie alert, ServiceNow incident)'),
    responders: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: Type.Union([Type.Literal('team'), Type.Literal('user'), Type.Literal('escalation'), Type.Literal('schedule')]),
            id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            username: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50, description: 'Opsgenie: teams, users, escalations or schedules to route the alert to, each by id or name (users also by username)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const CreateIncidentOutput = Type.Object({
  ...IncidentSummary,
  created: Type.Boolean({ description: 'False when an open dedup_key (or this step, run before) found an existing incident' }),
  external_refs: Type.Record(Type.String(), Type.Object({ id: Type.String(), key: Type.Optional(Type.String()), url: Type.Optional(Type.String()) })),
});

type Ctx = ActionContext<{ provider_credential_id?: string | undefined; dedup_key?: string | undefined; responders?: readonly OpsgenieResponder[] | undefined }>;

/** Skipped when the incident is already there (a re-run step, a dedup hit): ServiceNow would open a second one. */
async function forward(ctx: Ctx, incident: Incident, credentialId: string): Promise<Incident> {
  const cred = await ctx.credentials.get(credentialId, PROVIDER_CREDENTIAL_TYPES);
  if (cred.type in incident.external_refs) return incident;
  const ref = await forwardTrigger(cred, incident, ctx.params.dedup_key ?? incident.id, outbound(ctx), { responders: ctx.params.responders });
  ctx.log.log('info', `forwarded ${incident.key} to ${ref.provider} as ${ref.key ?? ref.id}`, { provider: ref.provider, external_id: ref.id });
  return ctx.services.incidents.recordForwarding(incident.id, 'trigger', ref, { actor: stepWrite(ctx.idempotencyKey).actor });
}

export const createIncidentAction = defineAction({
  id: 'create_incident',
  retry: PAGERDUTY_RETRY,
  category: 'incident',
  name: 'Create Incident',
  description: 'Opens an incident in the built-in incident module (deduplicated by key), optionally paging an escalation policy and forwarding to PagerDuty, Opsgenie or ServiceNow.',
  params: CreateIncidentParams,
  output: CreateIncidentOutput,
  async run(ctx) {
    const p = ctx.params;
    const { provider_credential_id: credentialId, responders: _responders, ...input } = p;
    const { incident, created } = await ctx.services.incidents.createIncident(input, stepWrite(ctx.idempotencyKey));
    ctx.log.log('info', `${created ? 'opened' : 'found open'} incident ${incident.key}`, { incident_id: incident.id, created });
    const final = credentialId === undefined ? incident : await forward(ctx, incident, credentialId);
    const refs = Object.fromEntries(
      Object.entries(final.external_refs).map(([provider, r]) => [provider, { id: r.id, ...(r.key ? { key: r.key } : {}), ...(r.url ? { url: r.url } : {}) }]),
    );
    return { ...incidentSummary(final), created, external_refs: refs };
  },
  plan(ctx) {
    const p = ctx.params;
    const extras = [
      p.dedup_key && `dedup key ${p.dedup_key}`,
      p.escalation_policy_id && `escalating by policy ${p.escalation_policy_id}`,
      p.provider_credential_id && `forwarded with credential ${p.provider_credential_id}`,
    ].filter(Boolean);
    return `open ${p.severity} incident ${quoted(p.title)}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  },
});
