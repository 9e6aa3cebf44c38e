import { NonRetryableError } from '../model/errors.js';

// Stable codes for the API's error map: incident_not_found and escalation_policy_not_found → 404,
// incident_resolved → 409, invalid_incident / invalid_policy / invalid_alert → 400.
// NonRetryable: a workflow step repeating the same call would fail the same way.

export function incidentNotFound(id: string): NonRetryableError {
  return new NonRetryableError('incident_not_found', `incident ${id} not found`, { details: { incident_id: id } });
}

export function policyNotFound(id: string): NonRetryableError {
  return new NonRetryableError('escalation_policy_not_found', `escalation policy ${id} not found`, { details: { escalation_policy_id: id } });
}

export function incidentResolved(id: string, what: string): NonRetryableError {
  return new NonRetryableError('incident_resolved', `incident ${id} is resolved: cannot ${what}`, { details: { incident_id: id } });
}

/** `errors` names the failing field the way the API's problem answers do. */
export function invalidInput(code: 'invalid_incident' | 'invalid_policy' | 'invalid_alert', message: string, path?: string): NonRetryableError {
  return new NonRetryableError(code, message, path === undefined ? {} : { details: { path, errors: [{ path, message }] } });
}
