import { Type } from '@sinclair/typebox';
import type { ExternalRef } from '../../incidents/incident-types.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { quoted } from '../communication/plan-text.js';
import { incidentSummary } from './incident-output.js';
import { IncidentIdParam, IncidentSummary, ProviderCredentialParam } from './incident-schemas.js';
import { PROVIDER_CREDENTIAL_TYPES } from './provider-forwarding.js';
import { stepWrite } from './step-identity.js';

const ResolveIncidentParams = Type.Object(
  {
    incident_id: IncidentIdParam,
    resolution: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536, description: 'What fixed it (timeline, provider close notes)' })),
    provider_credential_id: ProviderCredentialParam(
      "used instead of the one recorded when the incident was forwarded to that credential's provider",
    ),
  },
  { additionalProperties: false },
);

const ResolveIncidentOutput = Type.Object({
  ...IncidentSummary,
  resolved_at: Type.Integer({ description: 'Epoch ms' }),
  forwarded: Type.Array(Type.String(), { description: 'Providers the resolve is sent to (queued with the resolve, retried until it lands; see the timeline)' }),
});

/**
 * The resolve reaches the providers through the incident module's sync outbox, queued in the
 * transaction of the resolve (so the API, the UI and alert resolves send it too, retried until it
 * lands). A credential given for a provider replaces the recorded one before the resolve is queued.
 */
async function useGivenCredential(ctx: ActionContext<{ incident_id: string; provider_credential_id?: string | undefined }>): Promise<void> {
  if (ctx.params.provider_credential_id === undefined) return;
  const given = await ctx.credentials.get(ctx.params.provider_credential_id, PROVIDER_CREDENTIAL_TYPES);
  const incident = await ctx.services.incidents.findIncident(ctx.params.incident_id);
  const ref = incident === undefined ? undefined : Object.values(incident.external_refs).find((r): r is ExternalRef => r?.provider === given.type);
  if (incident === undefined || ref === undefined) {
    ctx.log.log('warn', `incident ${ctx.params.incident_id} was never forwarded to ${given.type}: nothing to resolve there`);
    return;
  }
  if (ref.credential_id !== given.id) await ctx.services.incidents.recordForwarding(incident.id, 'credential', { ...ref, credential_id: given.id }, { actor: stepWrite(ctx.idempotencyKey).actor });
}

export const resolveIncidentAction = defineAction({
  id: 'resolve_incident',
  category: 'incident',
  name: 'Resolve Incident',
  description: 'Resolves an incident and its alerts, stops its escalation, and resolves it at the providers it was forwarded to.',
  params: ResolveIncidentParams,
  output: ResolveIncidentOutput,
  async run(ctx) {
    const { incident_id: id, resolution } = ctx.params;
    await useGivenCredential(ctx);
    const incident = await ctx.services.incidents.resolveIncident(id, { ...stepWrite(ctx.idempotencyKey), resolution });
    ctx.log.log('info', `resolved incident ${incident.key}`, { incident_id: id });
    const forwarded = Object.values(incident.external_refs).flatMap((r) => (r === undefined ? [] : [r.provider]));
    return { ...incidentSummary(incident), resolved_at: incident.resolved_at ?? 0, forwarded };
  },
  plan(ctx) {
    const { incident_id: id, resolution } = ctx.params;
    return `resolve incident ${id}${resolution === undefined ? '' : `: ${quoted(resolution)}`} (and at the providers it was forwarded to)`;
  },
});
