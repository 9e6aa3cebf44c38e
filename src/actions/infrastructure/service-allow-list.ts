import { NonRetryableError } from '../../model/errors.js';

/**
 * Services the operator allows workflows to restart, set once from config by the composition root.
 * undefined = not configured. Module-level on purpose: the list is server policy, not workflow data,
 * so a workflow's params can only narrow it (see checkServiceAllowed).
 */
let configured: ReadonlySet<string> | undefined;

export function setServiceAllowList(names: readonly string[] | undefined): void {
  configured = names === undefined ? undefined : new Set(names);
}

/**
 * Allowed when every list that exists names the service: the configured one and the step's own
 * `allowed_services`. With neither, nothing is allowed: restarting is opt-in.
 */
export function checkServiceAllowed(service: string, fromParams: readonly string[] | undefined): void {
  const lists = [configured, fromParams === undefined ? undefined : new Set(fromParams)].filter((l) => l !== undefined);
  if (lists.length === 0) {
    throw new NonRetryableError('service_not_allowed', `restarting ${service} is not allowed: no service allow-list is configured`, { details: { service } });
  }
  if (!lists.every((l) => l.has(service))) {
    throw new NonRetryableError('service_not_allowed', `restarting ${service} is not allowed by the service allow-list`, { details: { service } });
  }
}
