import type { NewIncident } from '../../incidents/incident-open.js';
import type { ExternalRef, Incident, Severity } from '../../incidents/incident-types.js';
import { NonRetryableError } from '../../model/errors.js';

export interface IncidentWriteOptions {
  readonly actor?: string | undefined;
  /** Makes a repeated step a no-op (see incidents/unit-of-work.ts). */
  readonly idempotencyKey?: string | undefined;
}

export interface NewIncidentInput extends NewIncident {
  readonly dedup_key?: string | undefined;
}

/**
 * What the incident actions need from the incident module. Actions must not import the store, so the
 * composition root passes the implementation (incidents/incident-service.ts) in the action context
 * (ActionServices.incidents).
 * Unknown ids fail with NonRetryableError `incident_not_found`.
 */
export interface IncidentPort {
  createIncident(input: NewIncidentInput, opts?: IncidentWriteOptions): Promise<{ incident: Incident; created: boolean }>;
  findIncident(id: string): Promise<Incident | undefined>;
  updateIncident(
    id: string,
    patch: { title?: string | undefined; description?: string | undefined; severity?: Severity | undefined; service?: string | undefined },
    opts?: IncidentWriteOptions,
  ): Promise<Incident>;
  addNote(id: string, text: string, opts?: IncidentWriteOptions): Promise<Incident>;
  assignIncident(id: string, assignee: string, opts?: IncidentWriteOptions): Promise<Incident>;
  escalateIncident(id: string, opts?: IncidentWriteOptions & { reason?: string | undefined }): Promise<Incident>;
  resolveIncident(id: string, opts?: IncidentWriteOptions & { resolution?: string | undefined }): Promise<Incident>;
  recordForwarding(id: string, action: string, ref: ExternalRef, opts?: IncidentWriteOptions): Promise<Incident>;
}

function notConfigured(): NonRetryableError {
  return new NonRetryableError('incidents_not_configured', 'no incident module configured');
}

/** For contexts without the incident module: every call fails clearly. */
export const NO_INCIDENTS: IncidentPort = {
  createIncident: () => Promise.reject(notConfigured()),
  findIncident: () => Promise.reject(notConfigured()),
  updateIncident: () => Promise.reject(notConfigured()),
  addNote: () => Promise.reject(notConfigured()),
  assignIncident: () => Promise.reject(notConfigured()),
  escalateIncident: () => Promise.reject(notConfigured()),
  resolveIncident: () => Promise.reject(notConfigured()),
  recordForwarding: () => Promise.reject(notConfigured()),
};
