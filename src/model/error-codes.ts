/**
 * The codes an `ItwError` may carry, each with an HTTP status in the API's one error map
 * (api/error-map.ts keeps a `Record<ErrorCode, number>`, so a code without a status fails to
 * compile, as Hono's HTTPException ties an exception to its status). Step failures
 * (RetryableError / NonRetryableError) keep open-ended codes (`slack_rate_limited`...): they are
 * stored on node executions and returned as data; the ones the API answers with are listed here.
 */
export const ERROR_CODES = [
  // The database is down (restart, failover) or full: the request may succeed later (Retry-After).
  'database_unavailable', 'insufficient_storage',
  // The incident module (src/incidents/incident-errors.ts).
  'incident_not_found', 'escalation_policy_not_found', 'incident_resolved', 'invalid_incident', 'invalid_policy', 'invalid_alert',
  'validation', 'bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type',
  'definition_invalid', 'preflight_failed', 'rate_limited', 'unavailable',
  // Server-side failures: answered as a generic 500 `internal`, their message kept for the log.
  'internal', 'internal_error', 'config_invalid', 'data_dir_locked', 'credential_undecryptable', 'credential_type', 'cancelled', 'workflow_timeout',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}
