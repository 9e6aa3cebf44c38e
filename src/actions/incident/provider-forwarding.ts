import type { Outbound } from '../http/http-client.js';
import { PROVIDERS, type ExternalRef, type Incident, type Provider, type Severity } from '../../incidents/incident-types.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { createServiceNowIncident, serviceNowConnection } from '../communication/servicenow-client.js';
import { acknowledgeOpsgenieAlert, closeOpsgenieAlert, createOpsgenieAlert, opsgenieConnection, type OpsgenieResponder } from './opsgenie-alerts.js';
import { pagerDutyConnection, sendPagerDutyEvent } from './pagerduty-events.js';
import { acknowledgeServiceNowIncident, resolveServiceNowIncident } from './servicenow-resolve.js';

export const PROVIDER_CREDENTIAL_TYPES: readonly string[] = PROVIDERS;

// One scale across providers: Opsgenie P1..P5, ServiceNow urgency × impact giving P1, P2, P3, P5.
const OPSGENIE_PRIORITY = { critical: 'P1', error: 'P2', warning: 'P3', info: 'P5' } as const satisfies Record<Severity, string>;
const SERVICENOW_LEVELS = { critical: [1, 1], error: [1, 2], warning: [2, 2], info: [3, 3] } as const satisfies Record<Severity, readonly [number, number]>;

function provider(cred: ResolvedCredential): Provider {
  const type = PROVIDERS.find((p) => p === cred.type);
  if (type === undefined) throw new NonRetryableError('credential_type', `credential ${cred.id} is a ${cred.type} credential, not ${PROVIDERS.join(', ')}`);
  return type;
}

function details(incident: Incident): Record<string, string> {
  return { incident_id: incident.id, incident: incident.key, ...(incident.service === null ? {} : { service: incident.service }) };
}

/**
 * Opens the incident's counterpart at the provider; `dedupKey` makes PagerDuty and Opsgenie fold a
 * repeat into the same alert. ServiceNow has no such key: callers skip it when the incident has a ref.
 */
export async function forwardTrigger(
  cred: ResolvedCredential, incident: Incident, dedupKey: string, io: Outbound, opts: { responders?: readonly OpsgenieResponder[] | undefined } = {},
): Promise<ExternalRef> {
  const p = provider(cred);
  switch (p) {
    case 'pagerduty': {
      const conn = pagerDutyConnection(cred);
      const payload = {
        summary: `[${incident.key}] ${incident.title}`.slice(0, 1024),
        source: incident.service ?? 'itechsmart-workflow',
        severity: incident.severity,
        component: incident.service ?? undefined,
        custom_details: { ...details(incident), ...(incident.description === null ? {} : { description: incident.description }) },
      };
      const key = await withSecretsMasked([conn.routingKey], () =>
        sendPagerDutyEvent(conn, { event_action: 'trigger', dedup_key: dedupKey, payload }, io),
      );
      return { provider: p, id: key, credential_id: cred.id };
    }
    case 'opsgenie': {
      const conn = opsgenieConnection(cred);
      const alert = {
        message: `[${incident.key}] ${incident.title}`,
        alias: dedupKey,
        description: incident.description ?? undefined,
        priority: OPSGENIE_PRIORITY[incident.severity],
        tags: incident.service === null ? [] : [incident.service],
        details: details(incident),
        ...(opts.responders === undefined ? {} : { responders: opts.responders }),
      };
      await withSecretsMasked([conn.apiKey], () => createOpsgenieAlert(conn, alert, io));
      return { provider: p, id: dedupKey, credential_id: cred.id };
    }
    case 'servicenow': {
      const conn = serviceNowConnection(cred);
      const [urgency, impact] = SERVICENOW_LEVELS[incident.severity];
      const request = { title: `[${incident.key}] ${incident.title}`, description: incident.description ?? undefined, urgency, impact };
      const ticket = await withSecretsMasked(conn.secrets, () => createServiceNowIncident(conn, request, io));
      return { provider: p, id: ticket.id, key: ticket.key, url: ticket.url, credential_id: cred.id };
    }
    default: {
      const never: never = p;
      throw new Error(`unhandled provider ${String(never)}`);
    }
  }
}

/**
 * Sends an acknowledge or resolve to the counterpart `ref` points at, with `cred` (the same
 * provider's): PagerDuty Events v2 by dedup key, Opsgenie by alias, ServiceNow by sys_id.
 */
export async function forwardStateChange(cred: ResolvedCredential, ref: ExternalRef, action: 'acknowledge' | 'resolve', note: string, io: Outbound): Promise<void> {
  const p = provider(cred);
  switch (p) {
    case 'pagerduty': {
      const conn = pagerDutyConnection(cred);
      await withSecretsMasked([conn.routingKey], () => sendPagerDutyEvent(conn, { event_action: action, dedup_key: ref.id }, io));
      return;
    }
    case 'opsgenie': {
      const conn = opsgenieConnection(cred);
      const send = action === 'resolve' ? closeOpsgenieAlert : acknowledgeOpsgenieAlert;
      await withSecretsMasked([conn.apiKey], () => send(conn, ref.id, note, io));
      return;
    }
    case 'servicenow': {
      const conn = serviceNowConnection(cred);
      const send = action === 'resolve' ? resolveServiceNowIncident : acknowledgeServiceNowIncident;
      await withSecretsMasked(conn.secrets, () => send(conn, ref.id, note, io));
      return;
    }
    default: {
      const never: never = p;
      throw new Error(`unhandled provider ${String(never)}`);
    }
  }
}

/** Resolves the counterpart `ref` points at, with `cred` (the same provider's). */
export function forwardResolve(cred: ResolvedCredential, ref: ExternalRef, resolution: string, io: Outbound): Promise<void> {
  return forwardStateChange(cred, ref, 'resolve', resolution, io);
}
