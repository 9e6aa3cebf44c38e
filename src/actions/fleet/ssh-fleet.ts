import type { StepLogger } from '../../engine/node-handler.js';
import type { CredentialResolver } from '../../model/credentials.js';
import type { Host } from '../../model/hosts/host.js';
import type { EgressGuard } from '../http/egress-guard.js';
import { resolveSshTarget, runRemote } from '../infrastructure/ssh-exec.js';
import type { HostResult } from './fleet-ports.js';
import { hostResultOf } from './remote-host-result.js';

export interface RemoteCommand {
  readonly commandLine: string;
  readonly stdin?: string | undefined;
  readonly timeoutSeconds: number;
  /** A non-zero exit still counts as success (the step's `fail_on_exit_code: false`). */
  readonly anyExitCode?: boolean;
  /** Output kept per host (both streams). @default run-process's */
  readonly maxOutputBytes?: number;
}

/**
 * Runs a command on one inventory host: its address and port, its `ssh_key` credential (bound to
 * that address, host keys pinned), every connection through the egress policy.
 */
export async function runOnHost(
  deps: { readonly credentials: CredentialResolver; readonly egress: EgressGuard; readonly log: StepLogger },
  host: Host,
  cmd: RemoteCommand,
  signal: AbortSignal,
): Promise<HostResult> {
  const target = await resolveSshTarget(deps.credentials, deps.egress, host.ssh_credential_id, { host: host.address, port: host.port });
  if (target.hostKeys.acceptAny) {
    deps.log.log('warn', `host ${host.name}: SSH credential ${host.ssh_credential_id} accepts any host key (accept_any_host_key): the connection is open to a man in the middle`, { host: host.name });
  }
  const r = await runRemote(target, {
    commandLine: cmd.commandLine,
    ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}),
    timeoutMs: cmd.timeoutSeconds * 1000,
    signal,
    ...(cmd.maxOutputBytes !== undefined ? { maxOutputBytes: cmd.maxOutputBytes } : {}),
  });
  const result = hostResultOf(r, cmd.timeoutSeconds);
  return cmd.anyExitCode && result.status === 'failed' && result.exit_code !== null && !r.timedOut ? { ...result, status: 'succeeded' } : result;
}
