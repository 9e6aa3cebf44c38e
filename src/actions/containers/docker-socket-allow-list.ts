import { isAbsolute, normalize } from 'node:path';
import { NonRetryableError } from '../../model/errors.js';
import type { EgressGuard } from '../http/egress-guard.js';

/**
 * The Docker Engine unix sockets steps may use. Access to the socket is root on the host (a client
 * can start a privileged container), so it is an operator's decision, not a workflow's: only paths
 * listed in ITW_DOCKER_SOCKETS are dialled, compared after normalising (`/var/run/../run/x` is `/run/x`).
 */
export class DockerSocketAllowList {
  private readonly allowed: ReadonlySet<string>;

  constructor(paths: readonly string[]) {
    this.allowed = new Set(paths.map((p) => p.trim()).filter((p) => isAbsolute(p)).map((p) => normalize(p)));
  }

  get paths(): readonly string[] {
    return [...this.allowed];
  }

  /** Throws `docker_socket_denied` (audited as an egress refusal) unless `path` is listed. */
  check(path: string, egress: EgressGuard): string {
    const wanted = isAbsolute(path) ? normalize(path) : path;
    if (this.allowed.has(wanted)) return wanted;
    egress.reportRefusal({ code: 'egress_denied', host: `unix:${wanted}`, protocol: 'docker' });
    const why = this.allowed.size === 0 ? 'no Docker socket is allowed (ITW_DOCKER_SOCKETS is empty)' : `allowed: ${this.paths.join(', ')} (ITW_DOCKER_SOCKETS)`;
    throw new NonRetryableError('docker_socket_denied', `Docker socket ${wanted} refused: ${why}`, { details: { socket_path: wanted } });
  }
}
