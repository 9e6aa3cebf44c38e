import { posix } from 'node:path';
import { jsonPointer } from '../json-pointer.js';
import { credentialRefs } from './credential-refs.js';
import { knownString } from './known-value.js';
import { PREFLIGHT_CODES, type PreflightCheck, type PreflightProblem } from './preflight-problem.js';

/** As docker_restart / docker_logs default it (src/actions/containers/docker-target.ts). */
const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Server settings a step cannot run without: restart_service needs its service in
 * ITW_RESTART_ALLOWED_SERVICES (and, for method command, an argv in ITW_RESTART_COMMANDS);
 * execute_command over SSH needs the host key pinned in its ssh_key credential; docker steps on a
 * unix socket need it in ITW_DOCKER_SOCKETS. The step would
 * otherwise fail on every run with the same refusal.
 */
export const checkAllowLists: PreflightCheck = (def, facts) => {
  const problems: PreflightProblem[] = [];
  def.nodes.forEach((node, i) => {
    if (node.disabled === true || node.node_type !== 'action' || knownString(def, node.config['action_type']) !== 'restart_service') return;
    const service = knownString(def, node.config['service']);
    if (service === undefined) return;
    const path = jsonPointer('nodes', i, 'config', 'service');
    if (!facts.restartAllowedServices.includes(service)) {
      problems.push({
        code: PREFLIGHT_CODES.serviceNotAllowed, setting: 'ITW_RESTART_ALLOWED_SERVICES', path, node_id: node.id,
        message: `restarting ${service} is not allowed on this server: add it to ITW_RESTART_ALLOWED_SERVICES (now ${facts.restartAllowedServices.length > 0 ? facts.restartAllowedServices.join(', ') : 'empty'}) and restart the server`,
      });
    }
    const method = node.config['method'] === undefined ? 'systemd' : knownString(def, node.config['method']);
    if (method === 'command' && !facts.restartCommands[service]) {
      problems.push({
        code: PREFLIGHT_CODES.restartCommandMissing, setting: 'ITW_RESTART_COMMANDS', path: jsonPointer('nodes', i, 'config', 'method'), node_id: node.id,
        message: `method command needs the argv for ${service} in ITW_RESTART_COMMANDS (e.g. {"${service}":["supervisorctl","restart","${service}"]})`,
      });
    }
  });
  def.nodes.forEach((node, i) => {
    const action = node.node_type === 'action' ? knownString(def, node.config['action_type']) : undefined;
    if (node.disabled === true || (action !== 'docker_restart' && action !== 'docker_logs') || node.config['credential_id'] !== undefined) return;
    const socket = node.config['socket_path'] === undefined ? DEFAULT_DOCKER_SOCKET : knownString(def, node.config['socket_path']);
    if (socket === undefined || facts.dockerSockets.some((s) => posix.normalize(s) === posix.normalize(socket))) return;
    problems.push({
      code: PREFLIGHT_CODES.dockerSocketNotAllowed, setting: 'ITW_DOCKER_SOCKETS', path: jsonPointer('nodes', i, 'config', 'socket_path'), node_id: node.id,
      message: `the Docker socket ${socket} is not allowed on this server: add it to ITW_DOCKER_SOCKETS (now ${facts.dockerSockets.length > 0 ? facts.dockerSockets.join(', ') : 'empty'}) and restart the server, or use a docker credential`,
    });
  });
  for (const ref of credentialRefs(def)) {
    if (!ref.types.includes('ssh_key') || ref.types.length !== 1) continue;
    const cred = facts.credentials.find((c) => c.id === ref.id) ?? facts.credentials.find((c) => c.name === ref.id);
    if (!cred || cred.type !== 'ssh_key') continue;
    const f = cred.fields;
    if (f['host_key_fingerprint'] || f['known_hosts'] || f['accept_any_host_key'] === 'true') continue;
    problems.push({
      code: PREFLIGHT_CODES.sshHostKeyUnpinned, path: ref.path, node_id: ref.node_id, credential_id: cred.id, credential_type: 'ssh_key',
      message: `ssh_key credential "${cred.name}" pins no host key: set host_key_fingerprint (ssh-keygen -lf) or known_hosts, or every connection is refused`,
    });
  }
  return { problems, warnings: [] };
};
