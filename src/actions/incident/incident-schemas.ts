import { Type } from '@sinclair/typebox';
import { SEVERITIES } from '../../incidents/incident-types.js';

export const SeverityParam = (description = 'critical, error, warning or info') =>
  Type.Union(SEVERITIES.map((s) => Type.Literal(s)), { description });

export const IncidentIdParam = Type.String({ minLength: 1, description: 'Incident id (inc_...), e.g. from create_incident' });

export const ProviderCredentialParam = (description: string) =>
  Type.Optional(Type.String({ minLength: 1, description: `Credential of type pagerduty, opsgenie or servicenow: ${description}` }));

/** What every incident action reports, so later steps read the same fields whichever one ran. */
export const IncidentSummary = {
  incident_id: Type.String(),
  number: Type.Integer({ description: 'Sequential number' }),
  key: Type.String({ description: 'INC-<number>' }),
  status: Type.String({ description: 'triggered, acknowledged or resolved' }),
  severity: Type.String(),
};
