import { createHash } from 'node:crypto';
import type { AlertEvent } from '../../incidents/alert-ingest.js';
import { SEVERITIES, type Severity } from '../../incidents/incident-types.js';

/** `pagerduty`: Events API v2 bodies sent to us; `pagerduty_webhook`: PagerDuty's own webhooks v3 (incident.* events). */
export const ALERT_FORMATS = ['alertmanager', 'grafana', 'pagerduty', 'pagerduty_webhook'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** One alert of a delivery as the incident module takes it, plus what the workflow sees of it. */
export interface ParsedAlert {
  readonly event: AlertEvent;
  /** The alert as it came (an Alertmanager alert, a PagerDuty event). */
  readonly raw: unknown;
  /** Service label / PagerDuty source, for filters. */
  readonly service: string | null;
  /** Fields of the incident a new alert opens (Alertmanager `labels.service`, `annotations.description`). */
  readonly incident?: { readonly service?: string | undefined; readonly description?: string | undefined };
}

export interface ParsedDelivery {
  readonly format: AlertFormat;
  readonly alerts: readonly ParsedAlert[];
  /** Group fields (Alertmanager groupKey, receiver, commonLabels...). */
  readonly group: Record<string, unknown>;
}

/** Field problems of a delivery, PagerDuty style (`errors` list), answered with 400. */
export class InvalidAlert extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join('; '));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Which format a body is, when the trigger does not say. */
export function detectFormat(body: Obj, headers: Readonly<Record<string, string | undefined>>): AlertFormat {
  if (headers['x-pagerduty-signature'] !== undefined || (isObj(body['event']) && 'event_type' in body['event'])) return 'pagerduty_webhook';
  if ('event_action' in body || 'routing_key' in body) return 'pagerduty';
  if (headers['x-grafana-alerting-signature'] !== undefined || 'orgId' in body || 'state' in body) return 'grafana';
  return 'alertmanager';
}

export function parseDelivery(format: AlertFormat, body: unknown): ParsedDelivery {
  if (!isObj(body)) throw new InvalidAlert(['body must be a JSON object']);
  switch (format) {
    case 'alertmanager':
    case 'grafana':
      return parsePrometheusStyle(format, body);
    case 'pagerduty':
      return { format, alerts: [parsePagerDuty(body)], group: { routing_key: body['routing_key'] ?? null } };
    case 'pagerduty_webhook':
      return parsePagerDutyWebhook(body);
    default: {
      const never: never = format;
      throw new InvalidAlert([`unknown format ${String(never)}`]);
    }
  }
}

/** Alertmanager severities are free text: the common ones map onto the incident module's four. */
export function mapSeverity(raw: unknown): Severity {
  const s = typeof raw === 'string' ? raw.toLowerCase() : '';
  if ((SEVERITIES as readonly string[]).includes(s)) return s as Severity;
  if (['page', 'p1', 'high', 'fatal', 'emergency', 'alert', 'disaster'].includes(s)) return 'critical';
  if (['p2', 'major', 'err'].includes(s)) return 'error';
  if (['p4', 'p5', 'low', 'none', 'informational', 'ok'].includes(s)) return 'info';
  return 'warning';
}

function parsePrometheusStyle(format: 'alertmanager' | 'grafana', body: Obj): ParsedDelivery {
  const alerts = body['alerts'];
  if (!Array.isArray(alerts)) throw new InvalidAlert(['alerts must be an array']);
  if (format === 'alertmanager' && body['version'] !== undefined && body['version'] !== '4') throw new InvalidAlert([`unsupported Alertmanager webhook version ${JSON.stringify(body['version'])}`]);
  const group = {
    group_key: body['groupKey'] ?? null, receiver: body['receiver'] ?? null, status: body['status'] ?? null,
    group_labels: body['groupLabels'] ?? {}, common_labels: body['commonLabels'] ?? {}, common_annotations: body['commonAnnotations'] ?? {},
    external_url: body['externalURL'] ?? null, truncated_alerts: body['truncatedAlerts'] ?? 0,
    ...(format === 'grafana' ? { title: body['title'] ?? null, state: body['state'] ?? null, message: body['message'] ?? null, org_id: body['orgId'] ?? null } : {}),
  };
  const parsed = alerts.map((a, i): ParsedAlert => {
    if (!isObj(a)) throw new InvalidAlert([`alerts/${i} must be an object`]);
    const labels = isObj(a['labels']) ? a['labels'] : {};
    const annotations = isObj(a['annotations']) ? a['annotations'] : {};
    const fingerprint = str(a['fingerprint']) ?? createHash('sha256').update(JSON.stringify(Object.entries(labels).sort())).digest('hex').slice(0, 16);
    const service = str(labels['service']) ?? str(labels['job']) ?? null;
    const name = str(labels['alertname']) ?? 'alert';
    return {
      raw: a,
      service,
      incident: { service: str(labels['service']), description: str(annotations['description']) },
      event: {
        action: a['status'] === 'resolved' ? 'resolve' : 'trigger',
        dedup_key: `${format}:${fingerprint}`,
        source: service ?? str(labels['instance']) ?? str(body['receiver']) ?? format,
        severity: mapSeverity(labels['severity']),
        summary: str(annotations['summary']) ?? str(annotations['description']) ?? name,
        payload: a,
      },
    };
  });
  return { format, alerts: parsed, group };
}

function parsePagerDuty(body: Obj): ParsedAlert {
  const errors: string[] = [];
  const action = body['event_action'];
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve') errors.push("'event_action' must be one of trigger, acknowledge, resolve");
  const payload = isObj(body['payload']) ? body['payload'] : undefined;
  const dedupKey = str(body['dedup_key']);
  if (action === 'trigger') {
    if (!payload) errors.push("'payload' is missing or not an object");
    else {
      if (!str(payload['summary'])) errors.push("'payload.summary' is missing or blank");
      if (!str(payload['source'])) errors.push("'payload.source' is missing or blank");
      if (!(SEVERITIES as readonly unknown[]).includes(payload['severity'])) errors.push("'payload.severity' must be one of critical, error, warning, info");
    }
  } else if (action !== undefined && !dedupKey) errors.push(`'dedup_key' is required to ${JSON.stringify(action)}`);
  if (errors.length > 0) throw new InvalidAlert(errors);
  const source = payload ? str(payload['source']) : undefined;
  return {
    raw: body,
    service: str(payload?.['component']) ?? source ?? null,
    event: {
      action: action as AlertEvent['action'],
      dedup_key: dedupKey,
      source,
      severity: payload?.['severity'] as Severity | undefined,
      summary: str(payload?.['summary']),
      payload: payload ?? null,
    },
  };
}

const PAGERDUTY_WEBHOOK_ACTIONS: Readonly<Record<string, AlertEvent['action']>> = {
  'incident.triggered': 'trigger',
  'incident.acknowledged': 'acknowledge',
  'incident.resolved': 'resolve',
};

/**
 * PagerDuty webhooks v3 (https://developer.pagerduty.com/docs/webhooks-overview, "Webhook Payload"):
 * `{event: {id, event_type, resource_type, occurred_at, data: {id, title, urgency, service, html_url...}}}`.
 * The PagerDuty incident id is the dedup key, so its acknowledge/resolve settle the alert its
 * trigger opened. Other event types (annotated, priority_updated...) are accepted and carry no alert.
 */
function parsePagerDutyWebhook(body: Obj): ParsedDelivery {
  const event = isObj(body['event']) ? body['event'] : undefined;
  const type = str(event?.['event_type']);
  if (!event || !type) throw new InvalidAlert(["'event.event_type' is missing"]);
  const group = { event_id: event['id'] ?? null, event_type: type, occurred_at: event['occurred_at'] ?? null };
  const action = PAGERDUTY_WEBHOOK_ACTIONS[type];
  if (action === undefined) return { format: 'pagerduty_webhook', alerts: [], group };
  const data = isObj(event['data']) ? event['data'] : {};
  const id = str(data['id']);
  if (!id) throw new InvalidAlert(["'event.data.id' is missing"]);
  const service = str(isObj(data['service']) ? data['service']['summary'] : undefined) ?? null;
  const title = str(data['title']) ?? `PagerDuty incident ${id}`;
  const url = str(data['html_url']);
  return {
    format: 'pagerduty_webhook',
    group,
    alerts: [{
      raw: event,
      service,
      incident: { service: service ?? undefined, description: url === undefined ? undefined : `${title}\n${url}` },
      event: {
        action,
        dedup_key: `pagerduty:${id}`,
        source: service ?? 'pagerduty',
        // PagerDuty urgency is high or low: high pages, low waits for business hours.
        severity: data['urgency'] === 'high' ? 'critical' : 'warning',
        summary: title,
        payload: { id, title, urgency: data['urgency'] ?? null, status: data['status'] ?? null, html_url: url ?? null, service },
      },
    }],
  };
}
