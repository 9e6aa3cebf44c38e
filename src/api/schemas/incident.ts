import { Type } from '@sinclair/typebox';
import { ALERT_ACTIONS } from '../../incidents/alert-ingest.js';
import { INCIDENT_STATUSES, SEVERITIES } from '../../incidents/incident-types.js';
import { IsoTime, Nullable, NullableIsoTime, stringEnum } from './common.js';

const SeverityEnum = stringEnum(SEVERITIES);
const StatusEnum = stringEnum(INCIDENT_STATUSES);
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const page = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
};

export const IncidentListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StatusEnum, { description: 'repeat for several' })),
    severity: Type.Optional(Type.Array(SeverityEnum, { description: 'repeat for several' })),
    service: Type.Optional(Type.String()),
    ...page,
  },
  { additionalProperties: false },
);

export const AlertListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StatusEnum, { description: 'repeat for several' })),
    severity: Type.Optional(Type.Array(SeverityEnum, { description: 'repeat for several' })),
    source: Type.Optional(Type.String()),
    incident_id: Type.Optional(Type.String()),
    ...page,
  },
  { additionalProperties: false },
);

export const CreateIncidentBody = Type.Object(
  {
    title: Text(1024),
    description: Type.Optional(Type.String({ maxLength: 65_536 })),
    severity: SeverityEnum,
    service: Type.Optional(Text(200)),
    assignee: Type.Optional(Text(200)),
    escalation_policy_id: Type.Optional(Type.String({ minLength: 1, description: 'pages level 0 at once, then escalates until acknowledged' })),
    dedup_key: Type.Optional(Text(255, 'while an alert with this key is open, its incident is answered instead (200, created: false)')),
    source: Type.Optional(Text(200, 'the alert source recorded with dedup_key')),
  },
  { additionalProperties: false },
);

export const UpdateIncidentBody = Type.Object(
  {
    title: Type.Optional(Text(1024)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 65_536 }))),
    severity: Type.Optional(SeverityEnum),
    service: Type.Optional(Nullable(Text(200))),
  },
  { additionalProperties: false },
);

export const AssignBody = Type.Object({ assignee: Text(200) }, { additionalProperties: false });
export const NoteBody = Type.Object({ text: Text(65_536) }, { additionalProperties: false });
// A POST without a body validates as null.
export const EscalateBody = Type.Union([Type.Object({ reason: Type.Optional(Text(2000)) }, { additionalProperties: false }), Type.Null()]);
export const ResolveBody = Type.Union([Type.Object({ resolution: Type.Optional(Text(2000)) }, { additionalProperties: false }), Type.Null()]);

/** Our own simple alert format (PagerDuty Events v2 semantics): `trigger` opens or repeats, `acknowledge`/`resolve` settle by key. */
export const AlertEventBody = Type.Object(
  {
    action: stringEnum(ALERT_ACTIONS),
    dedup_key: Type.Optional(Text(255, 'open alerts are deduplicated by it; required to acknowledge or resolve')),
    source: Type.Optional(Text(200, 'required to trigger')),
    severity: Type.Optional(SeverityEnum),
    summary: Type.Optional(Text(1024, 'required to trigger; the incident title')),
    payload: Type.Optional(Type.Unknown({ description: 'kept with the alert' })),
  },
  { additionalProperties: false },
);

const incidentFields = {
  id: Type.String(), number: Type.Integer(), key: Type.String({ description: 'INC-<number>' }), title: Type.String(), description: Nullable(Type.String()),
  severity: Type.String(), status: stringEnum(INCIDENT_STATUSES), service: Nullable(Type.String()), assignee: Nullable(Type.String()),
  escalation_policy_id: Nullable(Type.String()), escalation_level: Type.Integer(), escalation_round: Type.Integer(),
  external_refs: Type.Record(Type.String(), Type.Unknown()),
  created_at: IsoTime, updated_at: IsoTime, acknowledged_at: NullableIsoTime, resolved_at: NullableIsoTime,
};

export const IncidentSchema = Type.Object(incidentFields);

export const AlertSchema = Type.Object({
  id: Type.String(), dedup_key: Type.String(), source: Type.String(), severity: Type.String(), status: Type.String(), summary: Type.String(),
  count: Type.Integer({ description: 'triggers received while open' }), first_seen: IsoTime, last_seen: IsoTime,
  acknowledged_at: NullableIsoTime, resolved_at: NullableIsoTime, payload: Type.Unknown(), incident_id: Nullable(Type.String()),
});

export const TimelineEventSchema = Type.Object({
  id: Type.String(), at: IsoTime, kind: Type.String(), actor: Nullable(Type.String()), data: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const IncidentDetailSchema = Type.Object({ ...incidentFields, timeline: Type.Array(TimelineEventSchema), alerts: Type.Array(AlertSchema) });

export const IncidentListSchema = Type.Object({ items: Type.Array(IncidentSchema), next_cursor: Nullable(Type.String()) });
export const AlertListSchema = Type.Object({ items: Type.Array(AlertSchema), next_cursor: Nullable(Type.String()) });

export const IngestResultSchema = Type.Object({
  alert: Nullable(AlertSchema),
  incident: Nullable(IncidentSchema),
  created: Type.Boolean({ description: 'a new alert was opened' }),
  incident_created: Type.Boolean(),
});

export const EscalationPolicySchema = Type.Object({
  id: Type.String(), name: Type.String(), description: Nullable(Type.String()),
  levels: Type.Array(Type.Object({ delay_minutes: Type.Integer(), targets: Type.Array(Type.Object({ type: Type.String(), value: Type.String(), credential_id: Type.Optional(Type.String()) })) })),
  repeat: Type.Integer(), created_at: IsoTime, updated_at: IsoTime,
});
