import { Type } from '@sinclair/typebox';
import { type ActionContext, defineAction } from '../define-action.js';
import { ItwError, NonRetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { stringField, unexpectedResponse } from '../communication/service-http.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { httpAuth } from '../data/http-auth.js';
import { describeRequest, outbound } from '../http/http-client.js';
import { monitoringRequest, trimBase } from './monitoring-http.js';

const ID = 'alertmanager_silence';
const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_CREATED_BY = 'iTechSmart Workflow';
const MINUTE_MS = 60_000;

const Matcher = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256, description: 'Label name' }),
    value: Type.String({ maxLength: 4096, description: 'Label value (a regular expression when is_regex)' }),
    is_regex: Type.Optional(Type.Boolean({ default: false })),
    is_equal: Type.Optional(Type.Boolean({ default: true, description: 'false: the label must NOT match' })),
  },
  { additionalProperties: false },
);

const SilenceParams = Type.Object(
  {
    base_url: Type.String({ pattern: '^https?://', description: 'Alertmanager URL, e.g. http://alertmanager:9093' }),
    credential_id: Type.Optional(Type.String({ minLength: 1, description: 'http_bearer, http_basic or http_header credential, when the API is protected' })),
    operation: Type.Optional(Type.Union([Type.Literal('create'), Type.Literal('expire')], { default: 'create', description: 'create (or update, with silence_id) a silence, or expire one' })),
    silence_id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'expire: the silence to expire; create: the silence to update' })),
    matchers: Type.Optional(Type.Array(Matcher, { minItems: 1, maxItems: 50, description: 'create: alerts whose labels match all of these are silenced' })),
    starts_at: Type.Optional(Type.String({ format: 'date-time', description: 'create: ISO 8601. Default: now' })),
    ends_at: Type.Optional(Type.String({ format: 'date-time', description: 'create: ISO 8601 (or give duration_minutes)' })),
    duration_minutes: Type.Optional(Type.Number({ minimum: 1, maximum: 525600, description: 'create: length of the silence from starts_at' })),
    created_by: Type.Optional(Type.String({ minLength: 1, maxLength: 256, default: DEFAULT_CREATED_BY, description: 'create: author shown in Alertmanager' })),
    comment: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'create: why the alerts are silenced (required by Alertmanager)' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 300, default: DEFAULT_TIMEOUT_SECONDS })),
  },
  { additionalProperties: false },
);

const SilenceOutput = Type.Object({
  silence_id: Type.String(),
  operation: Type.String({ description: 'create or expire' }),
  starts_at: Type.Optional(Type.String()),
  ends_at: Type.Optional(Type.String()),
});

type Params = ActionContext<(typeof SilenceParams)['static']>['params'];

/** The silence body Alertmanager's API v2 documents (postableSilence), from the params, checked. */
function postableSilence(p: Params, nowMs: number) {
  if (p.matchers === undefined) throw invalidParam(ID, '/matchers', 'matchers are required to create a silence');
  if (p.comment === undefined) throw invalidParam(ID, '/comment', 'a comment is required to create a silence');
  if ((p.ends_at === undefined) === (p.duration_minutes === undefined)) throw invalidParam(ID, '/ends_at', 'give either ends_at or duration_minutes');
  const startsAt = p.starts_at === undefined ? new Date(nowMs) : new Date(p.starts_at);
  const endsAt = p.ends_at !== undefined ? new Date(p.ends_at) : new Date(startsAt.getTime() + p.duration_minutes! * MINUTE_MS);
  if (Number.isNaN(startsAt.getTime())) throw invalidParam(ID, '/starts_at', 'is not a date-time');
  if (Number.isNaN(endsAt.getTime())) throw invalidParam(ID, '/ends_at', 'is not a date-time');
  if (endsAt.getTime() <= Math.max(startsAt.getTime(), nowMs)) throw invalidParam(ID, '/ends_at', 'must be after starts_at and in the future');
  return {
    ...(p.silence_id ? { id: p.silence_id } : {}),
    matchers: p.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.is_regex ?? false, isEqual: m.is_equal ?? true })),
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy: p.created_by ?? DEFAULT_CREATED_BY,
    comment: p.comment,
  };
}

export const alertmanagerSilenceAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Alertmanager Silence',
  description:
    'Creates (or updates) a silence in Prometheus Alertmanager for alerts matching label matchers, for a duration or until a time, or expires a silence by id (API v2).',
  params: SilenceParams,
  output: SilenceOutput,
  async run(ctx) {
    const p = ctx.params;
    const base = trimBase(p.base_url);
    const auth = await httpAuth(ctx.credentials, p.credential_id);
    const common = { label: 'Alertmanager', prefix: 'alertmanager', credential: auth?.credential, timeoutMs: (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000, io: outbound(ctx) };
    return withSecretsMasked(Object.values(auth?.headers ?? {}), async () => {
      if ((p.operation ?? 'create') === 'expire') {
        if (p.silence_id === undefined) throw invalidParam(ID, '/silence_id', 'silence_id is required to expire a silence');
        await monitoringRequest({ ...common, method: 'DELETE', url: `${base}/api/v2/silence/${encodeURIComponent(p.silence_id)}`, headers: { ...auth?.headers } }).catch((err: unknown) => {
          // Alertmanager (0.25) answers an unknown id with HTTP 500 "silence not found": no retry will find it.
          if (err instanceof ItwError && /silence not found/.test(err.message)) {
            throw new NonRetryableError('alertmanager_not_found', `Alertmanager has no silence ${p.silence_id}`, { details: { silence_id: p.silence_id } });
          }
          throw err;
        });
        ctx.log.log('info', `expired Alertmanager silence ${p.silence_id}`);
        return { silence_id: p.silence_id, operation: 'expire' };
      }
      const silence = postableSilence(p, Date.now());
      const res = await monitoringRequest({ ...common, method: 'POST', url: `${base}/api/v2/silences`, headers: { 'content-type': 'application/json', ...auth?.headers }, body: silence });
      const id = stringField(res.body, 'silenceID');
      if (id === undefined) throw unexpectedResponse('Alertmanager', res, 'silenceID');
      ctx.log.log('info', `Alertmanager silence ${id} until ${silence.endsAt}`, { silence_id: id });
      return { silence_id: id, operation: 'create', starts_at: silence.startsAt, ends_at: silence.endsAt };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    if ((p.operation ?? 'create') === 'expire') return `expire Alertmanager silence ${p.silence_id ?? '(no id)'}: ${describeRequest('DELETE', `${trimBase(p.base_url)}/api/v2/silence/${p.silence_id ?? ''}`)}`;
    const matchers = (p.matchers ?? []).map((m) => `${m.name}${m.is_equal === false ? '!' : '='}${m.is_regex ? '~' : ''}"${m.value}"`).join(', ');
    const until = p.ends_at ?? (p.duration_minutes === undefined ? '?' : `${p.duration_minutes} min`);
    return `${p.silence_id ? `update silence ${p.silence_id}` : 'silence'} alerts {${matchers}} until ${until}: ${describeRequest('POST', `${trimBase(p.base_url)}/api/v2/silences`)}`;
  },
});
