import { standaloneServices } from '../../src/actions/action-services.js';
import type { ActionServices } from '../../src/actions/define-action.js';
import { EgressGuard } from '../../src/actions/http/egress-guard.js';

/**
 * The egress guard is on by default; tests whose "remote" systems (HTTP fixtures, PostgreSQL,
 * MariaDB, SSH, SMTP) listen on loopback allow it explicitly, as a site would with ITW_EGRESS_ALLOW.
 */
export const LOOPBACK_EGRESS: readonly string[] = ['127.0.0.0/8', '::1', 'localhost'];

/** For CLI tests: the same list as the env var a deployment would set. */
export const LOOPBACK_EGRESS_ENV = { ITW_EGRESS_ALLOW: LOOPBACK_EGRESS.join(',') };

/** For unit tests that call actions or the HTTP client without an app: the guard on, loopback allowed. */
export function loopbackEgress(onRefusal?: ConstructorParameters<typeof EgressGuard>[0]['onRefusal']): EgressGuard {
  return new EgressGuard({ blockPrivate: true, allow: LOOPBACK_EGRESS, ...(onRefusal ? { onRefusal } : {}) });
}

/** One pool for a test file's plain requests, as an app has one. */
export const LOOPBACK: EgressGuard = loopbackEgress();

/** The services an app would pass, for actions called directly: loopback egress, no store behind the ports. */
export function testServices(overrides: Partial<ActionServices> = {}): ActionServices {
  return standaloneServices({ egress: LOOPBACK, ...overrides });
}
