import { defaultAllowedHosts, hostMatches } from '../../model/credential-hosts.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import type { EgressGuard } from './egress-guard.js';

/** Where a credential may go: a resolved credential's id and the hosts it is bound to. */
export interface CredentialBinding {
  readonly id: string;
  /** Effective list; empty means the credential goes nowhere. */
  readonly allowed_hosts: readonly string[];
}

/** The binding of a resolved credential: its own list, or its type's defaults when the resolver gave none. */
export function bindingOf(cred: ResolvedCredential): CredentialBinding {
  return { id: cred.id, allowed_hosts: cred.allowed_hosts ?? defaultAllowedHosts(cred.type, cred.data) };
}

/**
 * Throws `credential_host_denied` (and audits it) unless `host[:port]` is one the credential is
 * bound to. Called before anything is sent: on every request and every redirect hop, and before a
 * database, SSH or SMTP connection, whatever URL variables or params the run was given.
 */
export function checkCredentialHost(cred: CredentialBinding, host: string, port: string | number | undefined, protocol: string, egress: EgressGuard): void {
  if (cred.allowed_hosts.some((pattern) => hostMatches(pattern, host, port))) return;
  egress.reportRefusal({ code: 'credential_host_denied', host, credential_id: cred.id, protocol });
  const why = cred.allowed_hosts.length === 0
    ? 'it names no allowed_hosts (set them on the credential)'
    : `it may only be sent to ${cred.allowed_hosts.join(', ')}`;
  throw new NonRetryableError('credential_host_denied', `credential ${cred.id} refused for ${host}: ${why}`, {
    details: { credential_id: cred.id, host },
  });
}
