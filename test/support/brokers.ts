// Test support for the messaging actions: credentials for the brokers running on this machine, and
// services whose egress guard refuses loopback (a site that did not allow internal addresses).
import { standaloneServices } from '../../src/actions/action-services.js';
import type { ActionServices } from '../../src/actions/define-action.js';
import { EgressGuard, type EgressRefusal } from '../../src/actions/http/egress-guard.js';
import type { ResolvedCredential } from '../../src/model/credentials.js';

export function brokerCredential(id: string, type: string, url: string, extra: Record<string, string> = {}, allowedHosts?: string[]): ResolvedCredential {
  return { id, type, data: { url, ...extra }, ...(allowedHosts ? { allowed_hosts: allowedHosts } : {}) };
}

/** Services whose guard blocks private and loopback addresses, recording what it refused. */
export function guardedServices(): { services: ActionServices; refusals: EgressRefusal[] } {
  const refusals: EgressRefusal[] = [];
  const egress = new EgressGuard({ blockPrivate: true, allow: [], onRefusal: (r) => refusals.push(r) });
  return { services: standaloneServices({ egress }), refusals };
}

/** A name unique to this test run, for topics, subjects, queues and keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
