import { Type, type Static } from '@sinclair/typebox';
import type { IncidentHookEvent, IncidentListener } from '../../incidents/incident-hooks.js';
import { SEVERITIES } from '../../incidents/incident-types.js';
import type { TriggerSource } from '../trigger-source.js';

/** What the incident trigger needs of the incident module: its after-commit events. */
export interface IncidentEventsPort {
  onEvent(listener: IncidentListener): () => void;
}

const KINDS = ['created', 'acknowledged', 'escalated', 'resolved'] as const;

export const IncidentConfigSchema = Type.Object({
  events: Type.Array(Type.Union(KINDS.map((k) => Type.Literal(k))), { minItems: 1, default: ['created'] }),
  severities: Type.Optional(Type.Array(Type.Union(SEVERITIES.map((s) => Type.Literal(s))))),
  /** Incident `service` values; an incident without a service never matches a service filter. */
  services: Type.Optional(Type.Array(Type.String())),
});
export type IncidentConfig = Static<typeof IncidentConfigSchema>;

export function incidentMatches(c: IncidentConfig, e: IncidentHookEvent): boolean {
  const kind = e.type.slice('incident.'.length) as (typeof KINDS)[number];
  if (!c.events.includes(kind)) return false;
  if (c.severities && !c.severities.includes(e.incident.severity)) return false;
  if (c.services && !(e.incident.service !== null && c.services.includes(e.incident.service))) return false;
  return true;
}

/**
 * Fires on the incident module's events (emitted once, after commit, by the process that made the
 * change), keyed by incident and change so a re-delivered event starts nothing new.
 */
export function incidentSource(incidents: IncidentEventsPort): TriggerSource {
  return {
    type: 'incident',
    configSchema: IncidentConfigSchema,
    start(ctx) {
      const c = ctx.binding.config as IncidentConfig;
      const off = incidents.onEvent(async (e) => {
        if (!incidentMatches(c, e)) return;
        const key = e.type === 'incident.created' ? `${e.incident.id}:created` : `${e.incident.id}:${e.type}:${e.at}:${JSON.stringify(e.data)}`;
        try {
          await ctx.fire({ input: { event: e.type, incident: e.incident, at: new Date(e.at).toISOString(), actor: e.actor, data: e.data }, key });
        } catch (err) {
          ctx.log('error', `incident trigger could not start an execution for ${e.type}`, { incident_id: e.incident.id, err: String(err) });
        }
      });
      return Promise.resolve({ stop: () => Promise.resolve(off()) });
    },
  };
}
