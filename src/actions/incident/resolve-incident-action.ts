import { Type } from '@sinclair/typebox';
import type { ExternalRef, Incident } from '../../incidents/incident-types.js';
import { type ActionContext, defineAction } from '../define-action.js';
import { quoted } from '../communication/plan-text.js';
import { incidentSummary } from './incident-output.js';
import { IncidentIdParam, IncidentSummary, ProviderCredentialParam } from './incident-schemas.js';
import { forwardResolve, PROVIDER_CREDENTIAL_TYPES } from './provider-forwarding.js';
import { stepWrite } from './step-identity.js';
import { outbound } from '../http/http-client.js';

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
  forwarded: Type.Array(Type.String(), { description: 'Providers the resolve was sent to' }),
});

/**
 * Closes every counterpart the incident was forwarded to, with the credential recorded then (or the
 * one given for that provider). Resolving twice is harmless at each provider, so a re-run sends again.
 */
async function forwardAll(ctx: ActionContext<{ provider_credential_id?: string | undefined }>, incident: Incident, resolution: string): Promise<string[]> {
  const given = ctx.params.provider_credential_id === undefined ? undefined : await ctx.credentials.get(ctx.params.provider_credential_id, PROVIDER_CREDENTIAL_TYPES);
  const refs = Object.values(incident.external_refs).filter((r): r is ExternalRef => r !== undefined);
  if (given !== undefined && !refs.some((r) => r.provider === given.type)) {
    ctx.log.log('warn', `incident ${incident.key} was never forwarded to ${given.type}: nothing to resolve there`);
  }
  const sent: string[] = [];
  for (const ref of refs) {
    const cred = given?.type === ref.provider ? given : await ctx.credentials.get(ref.credential_id, [ref.provider]);
    await forwardResolve(cred, ref, resolution, outbound(ctx));
    await ctx.services.incidents.recordForwarding(incident.id, 'resolve', { ...ref, credential_id: cred.id }, { actor: stepWrite(ctx.idempotencyKey).actor });
    ctx.log.log('info', `resolved ${incident.key} at ${ref.provider}`, { provider: ref.provider, external_id: ref.id });
    sent.push(ref.provider);
  }
  return sent;
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
    const incident = await ctx.services.incidents.resolveIncident(id, { ...stepWrite(ctx.idempotencyKey), resolution });
    ctx.log.log('info', `resolved incident ${incident.key}`, { incident_id: id });
    const forwarded = await forwardAll(ctx, incident, resolution ?? `Resolved by workflow (${incident.key})`);
    return { ...incidentSummary(incident), resolved_at: incident.resolved_at ?? 0, forwarded };
  },
  plan(ctx) {
    const { incident_id: id, resolution } = ctx.params;
    return `resolve incident ${id}${resolution === undefined ? '' : `: ${quoted(resolution)}`} (and at the providers it was forwarded to)`;
  },
});
