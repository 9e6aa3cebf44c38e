import { setEgressPolicy } from '../../src/actions/http/egress-guard.js';

/**
 * The egress guard is on by default; tests whose "remote" systems (HTTP fixtures, PostgreSQL,
 * MariaDB, SSH, SMTP) listen on loopback allow it explicitly, as a site would with ITW_EGRESS_ALLOW.
 */
export const LOOPBACK_EGRESS: readonly string[] = ['127.0.0.0/8', '::1', 'localhost'];

/** For CLI tests: the same list as the env var a deployment would set. */
export const LOOPBACK_EGRESS_ENV = { ITW_EGRESS_ALLOW: LOOPBACK_EGRESS.join(',') };

/** For unit tests that call actions or the HTTP client without an app (which would set the policy from config). */
export function allowLoopbackEgress(): void {
  setEgressPolicy({ blockPrivate: true, allow: LOOPBACK_EGRESS });
}
