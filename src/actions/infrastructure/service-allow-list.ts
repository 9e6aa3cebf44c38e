import { NonRetryableError } from '../../model/errors.js';

function refuse(service: string, why: string, details: Record<string, unknown> = {}): never {
  throw new NonRetryableError('service_not_allowed', `restarting ${service} is not allowed${why}`, { details: { service, ...details } });
}

/**
 * Services the operator allows workflows to restart, and the argv `method: command` runs for each,
 * compiled once from config by the composition root and passed in the action context
 * (ActionServices.serviceControl). The list is server policy, not workflow data, so a workflow's
 * params can only narrow it (see check).
 */
export class ServiceAllowList {
  private readonly configured: ReadonlySet<string> | undefined;

  /** `names` undefined or empty: nothing may be restarted (restarting is opt-in). */
  constructor(names: readonly string[] | undefined, private readonly commands: Readonly<Record<string, readonly string[]>> = {}) {
    this.configured = names === undefined ? undefined : new Set(names);
  }

  /**
   * Allowed only when the configured list names the service and, when the step gives its own
   * `allowed_services`, that list does too: a workflow can narrow the server's list, never widen it.
   * With no configured list nothing is allowed: restarting is opt-in.
   */
  check(service: string, fromParams: readonly string[] | undefined): void {
    if (this.configured === undefined || this.configured.size === 0) refuse(service, ': no service allow-list is configured (ITW_RESTART_ALLOWED_SERVICES)');
    if (!this.configured.has(service) || (fromParams !== undefined && !fromParams.includes(service))) refuse(service, ' by the service allow-list');
  }

  /**
   * The argv `method: command` runs for an allowed service: the one configured for it
   * (ITW_RESTART_COMMANDS). A step may repeat it in `command`; any other argv is refused, so the
   * allow-list bounds what runs, not only the name it runs under.
   */
  commandFor(service: string, fromParams: readonly string[] | undefined): readonly string[] {
    const argv = this.commands[service];
    if (argv === undefined) refuse(service, ' by command: no restart command is configured for it (ITW_RESTART_COMMANDS)');
    if (fromParams !== undefined && (fromParams.length !== argv.length || fromParams.some((a, i) => a !== argv[i]))) {
      refuse(service, ` with ${JSON.stringify(fromParams)}: its configured restart command is ${JSON.stringify(argv)}`, { command: fromParams });
    }
    return argv;
  }
}
