import { NonRetryableError } from '../../model/errors.js';

/**
 * Services the operator allows workflows to restart, and the argv `method: command` runs for each,
 * set once from config by the composition root. Module-level on purpose: the list is server
 * policy, not workflow data, so a workflow's params can only narrow it (see checkServiceAllowed).
 */
let configured: ReadonlySet<string> | undefined;
let commands: Readonly<Record<string, readonly string[]>> = {};

export function setServiceAllowList(names: readonly string[] | undefined, restartCommands: Readonly<Record<string, readonly string[]>> = {}): void {
  configured = names === undefined ? undefined : new Set(names);
  commands = restartCommands;
}

function refuse(service: string, why: string, details: Record<string, unknown> = {}): never {
  throw new NonRetryableError('service_not_allowed', `restarting ${service} is not allowed${why}`, { details: { service, ...details } });
}

/**
 * Allowed only when the configured list names the service and, when the step gives its own
 * `allowed_services`, that list does too: a workflow can narrow the server's list, never widen it.
 * With no configured list nothing is allowed: restarting is opt-in.
 */
export function checkServiceAllowed(service: string, fromParams: readonly string[] | undefined): void {
  if (configured === undefined || configured.size === 0) refuse(service, ': no service allow-list is configured (ITW_RESTART_ALLOWED_SERVICES)');
  if (!configured.has(service) || (fromParams !== undefined && !fromParams.includes(service))) refuse(service, ' by the service allow-list');
}

/**
 * The argv `method: command` runs for an allowed service: the one configured for it
 * (ITW_RESTART_COMMANDS). A step may repeat it in `command`; any other argv is refused, so the
 * allow-list bounds what runs, not only the name it runs under.
 */
export function restartCommandFor(service: string, fromParams: readonly string[] | undefined): readonly string[] {
  const argv = commands[service];
  if (argv === undefined) refuse(service, ' by command: no restart command is configured for it (ITW_RESTART_COMMANDS)');
  if (fromParams !== undefined && (fromParams.length !== argv.length || fromParams.some((a, i) => a !== argv[i]))) {
    refuse(service, ` with ${JSON.stringify(fromParams)}: its configured restart command is ${JSON.stringify(argv)}`, { command: fromParams });
  }
  return argv;
}
