import { createHash } from 'node:crypto';
import type { AlertEvent } from '../../incidents/alert-ingest.js';
import { SEVERITIES, type Severity } from '../../incidents/incident-types.js';

export const ALERT_FORMATS = ['alertmanager', 'grafana', 'pagerduty'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** One alert of a delivery as the incident module takes it, plus what the workflow sees of it. */
export interface ParsedAlert {
  readonly event: AlertEvent;
  /** The alert as it came (an Alertmanager alert, a PagerDuty event). */
  readonly raw: unknown;
  /** Service label / PagerDuty source, for filters. */
  readonly service: string | null;
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
