import { Type, type Static } from '@sinclair/typebox';
import type { AlertEvent, IngestOptions, IngestResult } from '../../incidents/alert-ingest.js';
import { ItwError } from '../../model/errors.js';
import { authProblems, IngressAuthSchema, normalPath, parseJson, PathSchema, safeEqual, verifyAuth } from '../ingress.js';
import { NO_HANDLE, type IngressResponse, type IngressTarget, type TriggerSource } from '../trigger-source.js';
import { firedIds } from '../held-firing.js';
import { ALERT_FORMATS, detectFormat, InvalidAlert, parseDelivery, type AlertFormat, type ParsedAlert } from './alert-formats.js';

/** What the alert trigger needs of the incident module: its deduplicating ingestion. */
export interface AlertIngestPort {
  ingestAlert(event: AlertEvent, opts?: IngestOptions & { actor?: string }): Promise<IngestResult>;
}

export const AlertConfigSchema = Type.Object({
  /** Served at /alerts/{path}; several triggers may share a path (each checks its own auth). */
  path: PathSchema,
  /** Body format; `auto` tells them apart by their fields. */
  format: Type.Union([Type.Literal('auto'), ...ALERT_FORMATS.map((f) => Type.Literal(f))], { default: 'auto' }),
  /** Alertmanager: header/basic; Grafana: grafana; PagerDuty webhooks v3 (`pagerduty_webhook`): pagerduty. Required: `none` must be chosen explicitly. */
  auth: Type.Optional(IngressAuthSchema),
  /** PagerDuty format: the routing_key events must carry. */
  routing_key: Type.Optional(Type.String({ minLength: 1 })),
  /** `new`: an alert the incident module had not open (repeats only count); `repeat`: each repeat; `resolved`: an open alert resolved. */
  fire_on: Type.Array(Type.Union([Type.Literal('new'), Type.Literal('repeat'), Type.Literal('resolved')]), { default: ['new'] }),
  severities: Type.Optional(Type.Array(Type.String())),
  services: Type.Optional(Type.Array(Type.String())),
  /** A new alert opens an incident in the incident module. */
  open_incident: Type.Boolean({ default: true }),
});
export type AlertConfig = Static<typeof AlertConfigSchema>;

/** How long this process remembers a PagerDuty X-Webhook-Id (retries of one delivery come within it). */
const WEBHOOK_ID_WINDOW_MS = 24 * 3600_000;

const pagerDutyInvalid = (errors: readonly string[]): IngressResponse => ({
  status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors },
});

/** Which firing (and idempotency key) an ingested alert is for a trigger, if any. */
function firingKey(c: AlertConfig, parsed: ParsedAlert, r: IngestResult): string | undefined {
  const alert = r.alert;
  if (!alert) return undefined;
  if (c.severities && !c.severities.includes(alert.severity)) return undefined;
  if (c.services && !(parsed.service !== null && c.services.includes(parsed.service))) return undefined;
  if (parsed.event.action === 'trigger') {
    if (r.created) return c.fire_on.includes('new') ? `alert:${alert.id}` : undefined;
    return c.fire_on.includes('repeat') ? `alert:${alert.id}:${alert.count}` : undefined;
  }
  if (parsed.event.action === 'resolve' && alert.status === 'resolved') return c.fire_on.includes('resolved') ? `alert:${alert.id}:resolved` : undefined;
  return undefined;
}

/**
 * Alert ingestion (Alertmanager v4, Grafana, PagerDuty Events v2): every alert goes through the
 * incident module's dedup first, and a trigger fires by its `fire_on` policy, keyed by the alert, so
 * a firing alert repeated 100 times starts one execution.
 */
export function alertSource(incidents: AlertIngestPort): TriggerSource {
  return {
    type: 'alert',
    configSchema: AlertConfigSchema,
    check: (config) => {
      const c = config as AlertConfig;
      const problems = authProblems(c.auth);
      // The preset: PagerDuty signs v3 webhooks with X-PagerDuty-Signature, nothing else checks them.
      if (c.format === 'pagerduty_webhook' && c.auth !== undefined && c.auth.mode !== 'pagerduty' && c.auth.mode !== 'none') {
        problems.push(`/auth/mode: format pagerduty_webhook is signed by PagerDuty: use mode pagerduty (or none), not ${c.auth.mode}`);
      }
      return problems;
    },
    routeKeys: (config) => ({ keys: [normalPath((config as AlertConfig).path)], exclusive: false }),
    start: () => Promise.resolve(NO_HANDLE),
    async handle(req, targets) {
      if (targets.length === 0) throw new ItwError('not_found', `no alert endpoint ${req.path}`);
      const accepted: IngressTarget[] = [];
      let refusal: unknown;
      for (const t of targets) {
        try {
          verifyAuth((t.binding.config as AlertConfig).auth!, req, t.ctx.clock.now(), (key, until) => t.ctx.firstSeen(key, until));
          accepted.push(t);
        } catch (err) {
          refusal = err;
        }
      }
      if (accepted.length === 0) throw refusal;
      const body = parseJson(req);
      const configured = (accepted[0]!.binding.config as AlertConfig).format;
      const format: AlertFormat = configured === 'auto' ? detectFormat(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}, req.headers) : configured;
      let delivery;
      try {
        delivery = parseDelivery(format, body);
      } catch (err) {
        if (err instanceof InvalidAlert) {
          if (format === 'pagerduty') return pagerDutyInvalid(err.errors);
          throw new ItwError('bad_request', err.message);
        }
        throw err;
      }
      if (format === 'pagerduty') {
        const key = (body as { routing_key?: unknown }).routing_key;
        const wanted = accepted.filter((t) => {
          const rk = (t.binding.config as AlertConfig).routing_key;
          return rk === undefined || (typeof key === 'string' && safeEqual(key, rk));
        });
        if (wanted.length === 0) return pagerDutyInvalid(["'routing_key' is not one this endpoint accepts"]);
        accepted.splice(0, accepted.length, ...wanted);
      }
      if (format === 'pagerduty_webhook') {
        // PagerDuty retries a delivery with the same X-Webhook-Id: a retry is answered, not ingested again.
        const id = req.headers['x-webhook-id'];
        const until = accepted[0]!.ctx.clock.now() + WEBHOOK_ID_WINDOW_MS;
        if (id !== undefined && id !== '' && !accepted.every((t) => t.ctx.firstSeen(`x-webhook-id:${id}`, until))) {
          return { status: 200, body: { status: 'ok', duplicate: true, alerts: 0, executions: [] } };
        }
      }
      const opensIncident = accepted.some((t) => (t.binding.config as AlertConfig).open_incident);
      const executions: Array<{ trigger_id: string } & ReturnType<typeof firedIds>> = [];
      let lastKey: string | undefined;
      for (const parsed of delivery.alerts) {
        let result: IngestResult;
        try {
          result = await incidents.ingestAlert(parsed.event, { opensIncident, incident: parsed.incident, actor: `alert:${parsed.event.source ?? format}` });
        } catch (err) {
          if (!(err instanceof ItwError) || err.code !== 'invalid_alert') throw err;
          if (format === 'pagerduty') return pagerDutyInvalid([err.message]);
          throw new ItwError('bad_request', err.message);
        }
        lastKey = result.alert?.dedup_key ?? parsed.event.dedup_key;
        for (const t of accepted) {
          const key = firingKey(t.binding.config as AlertConfig, parsed, result);
          if (key === undefined) continue;
          const input = {
            format, action: parsed.event.action, alert: result.alert, incident: result.incident, group: delivery.group, raw: parsed.raw,
          };
          const fired = await t.ctx.fire({ input, key });
          executions.push({ trigger_id: t.binding.id, ...firedIds(fired) });
        }
      }
      if (format === 'pagerduty') return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: lastKey ?? null, executions } };
      return { status: 200, body: { status: 'ok', alerts: delivery.alerts.length, executions } };
    },
  };
}
