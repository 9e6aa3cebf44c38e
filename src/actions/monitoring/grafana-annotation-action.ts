import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { invalidParam } from '../communication/invalid-param.js';
import { quoted } from '../communication/plan-text.js';
import { stringField, unexpectedResponse } from '../communication/service-http.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { bindingOf } from '../http/credential-binding.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { monitoringRequest } from './monitoring-http.js';

const ID = 'grafana_annotation';
const TIMEOUT_MS = 30_000;

const AnnotationParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type grafana: {base_url, token} (a service account token with annotations:write)' }),
    text: Type.String({ minLength: 1, maxLength: 10000, description: 'Annotation text (may hold HTML links)' }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50, description: 'Tags to filter annotations by' })),
    dashboard_uid: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$', description: 'Dashboard to annotate; without it the annotation is organization-wide' })),
    panel_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Panel of that dashboard' })),
    time: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened, ISO 8601. Default: now' })),
    time_end: Type.Optional(Type.String({ format: 'date-time', description: 'End of a region annotation, ISO 8601' })),
  },
  { additionalProperties: false },
);

const AnnotationOutput = Type.Object({
  id: Type.Integer({ description: 'Grafana annotation id' }),
  time: Type.Integer({ description: 'Unix milliseconds' }),
  time_end: Type.Optional(Type.Integer({ description: 'Unix milliseconds' })),
});

function epochMs(raw: string | undefined, path: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const ms = new Date(raw).getTime();
  if (Number.isNaN(ms)) throw invalidParam(ID, path, 'is not a date-time');
  return ms;
}

export const grafanaAnnotationAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Grafana Annotation',
  description: 'Adds an annotation to Grafana (POST /api/annotations): an event or a time region with text and tags, on one dashboard or panel, or organization-wide.',
  params: AnnotationParams,
  output: AnnotationOutput,
  retry: SAAS_RETRY,
  async run(ctx) {
    const p = ctx.params;
    if (p.panel_id !== undefined && p.dashboard_uid === undefined) throw invalidParam(ID, '/dashboard_uid', 'a panel_id needs the dashboard_uid of its dashboard');
    const time = epochMs(p.time, '/time', Date.now());
    const timeEnd = p.time_end === undefined ? undefined : epochMs(p.time_end, '/time_end', time);
    if (timeEnd !== undefined && timeEnd < time) throw invalidParam(ID, '/time_end', 'must not be before time');
    const cred = await ctx.credentials.get(p.credential_id, ['grafana']);
    const token = requiredField(cred, 'token');
    const base = baseUrlField(cred, 'base_url');
    const body = {
      ...(p.dashboard_uid ? { dashboardUID: p.dashboard_uid } : {}),
      ...(p.panel_id ? { panelId: p.panel_id } : {}),
      time,
      ...(timeEnd !== undefined ? { timeEnd } : {}),
      tags: p.tags ?? [],
      text: p.text,
    };
    const res = await withSecretsMasked([token], () =>
      monitoringRequest({
        label: 'Grafana',
        prefix: 'grafana',
        method: 'POST',
        url: `${base}/api/annotations`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        credential: bindingOf(cred),
        timeoutMs: TIMEOUT_MS,
        io: outbound(ctx),
      }),
    );
    const id = Number(stringField(res.body, 'id'));
    if (!Number.isInteger(id)) throw unexpectedResponse('Grafana', res, 'an annotation id');
    ctx.log.log('info', `Grafana annotation ${id} added`, { id });
    return { id, time, ...(timeEnd !== undefined ? { time_end: timeEnd } : {}) };
  },
  plan(ctx) {
    const p = ctx.params;
    const where = p.dashboard_uid ? `dashboard ${p.dashboard_uid}${p.panel_id ? ` panel ${p.panel_id}` : ''}` : 'the organization';
    return `annotate ${where} in Grafana: ${quoted(p.text)}${p.tags?.length ? ` [${p.tags.join(', ')}]` : ''}`;
  },
});
