import type { IncidentWriteOptions } from './incident-port.js';

/**
 * Write options for a step: the actor `execution:<id>` for the timeline, and the step's key without
 * its attempt. The engine's key is `execution:node:scope:attempt`; a retry is a new attempt, and a
 * retried create_incident (say its PagerDuty forward got a 503) must find the incident its first
 * attempt opened, not open another.
 */
export function stepWrite(idempotencyKey: string, suffix?: string): IncidentWriteOptions {
  const step = idempotencyKey.replace(/:\d+$/, '');
  const execution = idempotencyKey.split(':')[0] ?? idempotencyKey;
  return { actor: `execution:${execution}`, idempotencyKey: suffix === undefined ? step : `${step}:${suffix}` };
}
