import type { ProviderSender } from '../../incidents/provider-sync.js';
import type { CredentialResolver } from '../../model/credentials.js';
import type { EgressGuard } from '../http/egress-guard.js';
import { forwardStateChange } from './provider-forwarding.js';

/**
 * The incident sync outbox's sender: the same clients, error classes (retryable 429/5xx with
 * Retry-After) and secret masking as the forwarding actions, with the credential the incident was
 * forwarded with.
 */
export function providerSender(credentials: CredentialResolver, egress: EgressGuard): ProviderSender {
  return async (job, signal) => {
    const cred = await credentials.get(job.ref.credential_id, [job.ref.provider]);
    const note = job.note ?? (job.action === 'resolve' ? 'Resolved in iTechSmart Workflow' : 'Acknowledged in iTechSmart Workflow');
    await forwardStateChange(cred, job.ref, job.action, note, { signal, egress });
  };
}
