import type { Logger } from '../model/logger.js';
import type { EgressRefusal } from '../actions/http/egress-guard.js';
import type { AuditLog } from './audit-log.js';

/**
 * Writes a refused connection (`egress.denied`) or a credential kept from a host
 * (`credential.host_denied`) to the audit log. Never rejects: a failing audit write is reported on
 * stderr, the refusal itself has already happened.
 */
export async function recordRefusal(audit: AuditLog, r: EgressRefusal, logger: Logger): Promise<void> {
  const credential = r.code === 'credential_host_denied';
  try {
    await audit.append({
      ts: Date.now(),
      actor: 'engine',
      action: credential ? 'credential.host_denied' : 'egress.denied',
      resource_type: credential ? 'credential' : 'egress',
      resource_id: credential ? (r.credential_id ?? null) : r.host,
      details: { host: r.host, protocol: r.protocol, ...(r.ip ? { ip: r.ip } : {}), ...(r.credential_id ? { credential_id: r.credential_id } : {}) },
    });
  } catch (err) {
    logger.error({ err }, 'audit: recording an egress refusal failed');
  }
}
