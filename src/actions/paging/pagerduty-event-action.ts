import { type Static, Type } from '@sinclair/typebox';
import { SEVERITIES } from '../../incidents/incident-types.js';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { enqueuePagerDutyEvent, pagerDutyConnection, type PagerDutyEvent } from '../incident/pagerduty-events.js';
import { PAGERDUTY_RETRY } from '../vendor-retry.js';

const ID = 'pagerduty_event';
// A pattern, not `format: 'date-time'`: TypeBox knows no formats unless registered.
const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})$';
const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
// Events API v2 limits (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;

const PagerDutyEventParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type pagerduty: {routing_key (the Events API v2 integration key), base_url?}' }),
    event_action: Type.Optional(
      Type.Union(EVENT_ACTIONS.map((a) => Type.Literal(a)), {
        default: 'trigger',
        description: 'trigger opens (or adds to) an alert; acknowledge and resolve act on the alert with dedup_key',
      }),
    ),
    dedup_key: Type.Optional(Type.String({ minLength: 1, maxLength: DEDUP_KEY_MAX, description: 'Groups events into one alert. Required to acknowledge or resolve; PagerDuty makes one for a trigger without it' })),
    summary: Type.Optional(Type.String({ minLength: 1, maxLength: SUMMARY_MAX, description: 'What is wrong, as the alert title (required to trigger)' })),
    source: Type.Optional(Type.String({ minLength: 1, description: 'Affected system: host name, service or URL (required to trigger)' })),
    severity: Type.Optional(Type.Union(SEVERITIES.map((s) => Type.Literal(s)), { description: 'critical, error, warning or info (required to trigger)' })),
    timestamp: Type.Optional(Type.String({ pattern: ISO_TIME, description: 'When the problem was detected (ISO 8601); default: when PagerDuty receives it' })),
    component: Type.Optional(Type.String({ minLength: 1, description: 'Part of the source that is affected, e.g. mysql' })),
    group: Type.Optional(Type.String({ minLength: 1, description: 'Logical grouping of components, e.g. prod-datapipe' })),
    class: Type.Optional(Type.String({ minLength: 1, description: 'Class or type of the event, e.g. ping failure' })),
    custom_details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Free-form details shown on the alert' })),
    links: Type.Optional(
      Type.Array(Type.Object({ href: Type.String({ pattern: '^https?://' }), text: Type.Optional(Type.String()) }, { additionalProperties: false }), {
        maxItems: 50,
        description: 'Links shown on the alert (runbooks, dashboards)',
      }),
    ),
    images: Type.Optional(
      Type.Array(
        Type.Object({ src: Type.String({ pattern: '^https://' }), href: Type.Optional(Type.String({ pattern: '^https?://' })), alt: Type.Optional(Type.String()) }, { additionalProperties: false }),
        { maxItems: 50, description: 'Images shown on the alert (graphs); PagerDuty shows https sources only' },
      ),
    ),
  },
  { additionalProperties: false },
);

const PagerDutyEventOutput = Type.Object({
  status: Type.String({ description: "PagerDuty's answer: success" }),
  dedup_key: Type.String({ description: 'Key the alert is filed under: pass it to acknowledge or resolve later' }),
});

type Params = Static<typeof PagerDutyEventParams>;
type Action = (typeof EVENT_ACTIONS)[number];

function eventOf(p: Params): PagerDutyEvent {
  const action: Action = p.event_action ?? 'trigger';
  if (action !== 'trigger') {
    if (p.dedup_key === undefined) throw invalidParam(ID, '/dedup_key', `dedup_key is required to ${action}`);
    return { event_action: action, dedup_key: p.dedup_key };
  }
  for (const field of ['summary', 'source', 'severity'] as const) {
    if (p[field] === undefined) throw invalidParam(ID, `/${field}`, `${field} is required to trigger`);
  }
  return {
    event_action: 'trigger',
    dedup_key: p.dedup_key,
    payload: {
      summary: p.summary!,
      source: p.source!,
      severity: p.severity!,
      timestamp: p.timestamp,
      component: p.component,
      group: p.group,
      class: p.class,
      ...(p.custom_details === undefined ? {} : { custom_details: p.custom_details }),
    },
    links: p.links,
    images: p.images,
  };
}

export const pagerDutyEventAction = defineAction({
  id: ID,
  retry: PAGERDUTY_RETRY,
  category: 'paging',
  name: 'PagerDuty Event',
  description: 'Sends a trigger, acknowledge or resolve event to a PagerDuty service through the Events API v2 (POST /v2/enqueue). '
    + 'Events with the same dedup_key belong to one alert.',
  params: PagerDutyEventParams,
  output: PagerDutyEventOutput,
  async run(ctx) {
    const event = eventOf(ctx.params);
    const cred = await ctx.credentials.get(ctx.params.credential_id, ['pagerduty']);
    const conn = pagerDutyConnection(cred);
    const sent = await withSecretsMasked([conn.routingKey], () => enqueuePagerDutyEvent(conn, event, outbound(ctx)));
    ctx.log.log('info', `PagerDuty accepted the ${event.event_action} event`, { dedup_key: sent.dedup_key });
    return { status: sent.status, dedup_key: sent.dedup_key };
  },
  plan(ctx) {
    const p = ctx.params;
    const action = p.event_action ?? 'trigger';
    if (action !== 'trigger') return `${action} the PagerDuty alert ${p.dedup_key ?? '(no dedup_key)'}`;
    const key = p.dedup_key === undefined ? '' : ` (dedup_key ${p.dedup_key})`;
    return `trigger a ${p.severity ?? '(no severity)'} PagerDuty alert from ${p.source ?? '(no source)'}${key}: ${quoted(p.summary ?? '')}`;
  },
});
