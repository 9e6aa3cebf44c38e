import { type Static, Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { acknowledgeOpsgenieAlert, closeOpsgenieAlert, createOpsgenieAlert, opsgenieConnection } from '../incident/opsgenie-alerts.js';
import { SAAS_RETRY } from '../vendor-retry.js';

const ID = 'opsgenie_alert';
const OPERATIONS = ['create', 'close', 'acknowledge'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
// Alert API field limits (https://docs.opsgenie.com/docs/alert-api#create-alert).
const ALIAS_MAX = 512;

const Responder = Type.Object(
  {
    type: Type.Union([Type.Literal('team'), Type.Literal('user'), Type.Literal('escalation'), Type.Literal('schedule')]),
    id: Type.Optional(Type.String({ minLength: 1 })),
    name: Type.Optional(Type.String({ minLength: 1 })),
    username: Type.Optional(Type.String({ minLength: 1, description: 'Users only: their e-mail login' })),
  },
  { additionalProperties: false },
);

const OpsgenieAlertParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type opsgenie: {api_key, base_url? (https://api.eu.opsgenie.com for the EU instance)}' }),
    operation: Type.Optional(Type.Union(OPERATIONS.map((o) => Type.Literal(o)), { default: 'create', description: 'create an alert, or close / acknowledge the open alert with alias' })),
    alias: Type.Optional(Type.String({ minLength: 1, maxLength: ALIAS_MAX, description: 'Deduplication key: an open alert with the same alias is not opened twice. Required to close or acknowledge' })),
    message: Type.Optional(Type.String({ minLength: 1, maxLength: 130, description: 'Alert title (required to create; at most 130 characters)' })),
    description: Type.Optional(Type.String({ maxLength: 15000, description: 'Longer text shown on the alert' })),
    priority: Type.Optional(Type.Union(PRIORITIES.map((p) => Type.Literal(p)), { description: 'P1 (critical) to P5 (informational); Opsgenie uses P3 when not given' })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20, description: 'Tags of the alert' })),
    details: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Custom properties (key → text)' })),
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Domain of the alert, e.g. a server or service name' })),
    responders: Type.Optional(Type.Array(Responder, { maxItems: 50, description: 'Teams, users, escalations or schedules to notify: each with id, or name (username for users)' })),
    note: Type.Optional(Type.String({ maxLength: 25000, description: 'Note added when closing or acknowledging' })),
  },
  { additionalProperties: false },
);

const OpsgenieAlertOutput = Type.Object({
  request_id: Type.Optional(Type.String({ description: 'Opsgenie processes alert requests asynchronously: the id to look the request up with' })),
  alias: Type.Optional(Type.String({ description: 'Alias of the alert, when one was given' })),
});

type Params = Static<typeof OpsgenieAlertParams>;

function checkParams(p: Params): void {
  const operation = p.operation ?? 'create';
  if (operation === 'create' && p.message === undefined) throw invalidParam(ID, '/message', 'message is required to create an alert');
  if (operation !== 'create' && p.alias === undefined) throw invalidParam(ID, '/alias', `alias is required to ${operation} an alert`);
  p.responders?.forEach((r, i) => {
    if (r.id === undefined && r.name === undefined && r.username === undefined) throw invalidParam(ID, `/responders/${i}`, 'a responder needs id, name or username');
  });
}

export const opsgenieAlertAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'paging',
  name: 'Opsgenie Alert',
  description: 'Creates an Opsgenie alert (POST /v2/alerts) routed to teams, users, escalations or schedules, or closes / acknowledges the open alert with an alias.',
  params: OpsgenieAlertParams,
  output: OpsgenieAlertOutput,
  async run(ctx) {
    const p = ctx.params;
    checkParams(p);
    const conn = opsgenieConnection(await ctx.credentials.get(p.credential_id, ['opsgenie']));
    const io = outbound(ctx);
    const operation = p.operation ?? 'create';
    const requestId = await withSecretsMasked([conn.apiKey], () => {
      if (operation === 'close') return closeOpsgenieAlert(conn, p.alias!, p.note, io);
      if (operation === 'acknowledge') return acknowledgeOpsgenieAlert(conn, p.alias!, p.note, io);
      const { message, alias, description, priority, tags, details, entity, responders } = p;
      return createOpsgenieAlert(conn, { message: message!, alias, description, priority, tags, details, entity, responders }, io);
    });
    ctx.log.log('info', `Opsgenie accepted the ${operation} request`, { request_id: requestId, alias: p.alias });
    return { ...(requestId === undefined ? {} : { request_id: requestId }), ...(p.alias === undefined ? {} : { alias: p.alias }) };
  },
  plan(ctx) {
    const p = ctx.params;
    const operation = p.operation ?? 'create';
    if (operation !== 'create') return `${operation} the Opsgenie alert ${p.alias ?? '(no alias)'}`;
    const to = p.responders?.length ? ` for ${p.responders.map((r) => `${r.type} ${r.name ?? r.username ?? r.id ?? '?'}`).join(', ')}` : '';
    return `create a ${p.priority ?? 'P3'} Opsgenie alert${to}: ${quoted(p.message ?? '')}`;
  },
});
