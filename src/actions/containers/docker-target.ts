import { Type } from '@sinclair/typebox';
import { invalidParam } from '../communication/invalid-param.js';
import type { ActionContext } from '../define-action.js';
import type { DockerEndpoint } from './docker-client.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Params every docker action takes: which daemon, and which container. */
export const DockerTargetParams = {
  container: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$', description: 'Container name or id' }),
  socket_path: Type.Optional(Type.String({ pattern: '^/', maxLength: 256, description: `Docker Engine unix socket (must be in ITW_DOCKER_SOCKETS) @default ${DEFAULT_DOCKER_SOCKET}` })),
  credential_id: Type.Optional(Type.String({ minLength: 1, description: 'Credential of type docker {host: tcp://host:2376, ca, cert, key}, for a daemon reached over TCP with TLS instead of a socket' })),
};

/** The daemon a step names: its credential (TCP + TLS), else a unix socket. */
export async function dockerEndpoint(actionId: string, ctx: ActionContext<{ socket_path?: string | undefined; credential_id?: string | undefined }>): Promise<DockerEndpoint> {
  const { socket_path: socketPath, credential_id: credentialId } = ctx.params;
  if (socketPath !== undefined && credentialId !== undefined) throw invalidParam(actionId, '/socket_path', 'give either socket_path or credential_id, not both');
  if (credentialId !== undefined) return { cred: await ctx.credentials.get(credentialId, ['docker']) };
  return { socketPath: socketPath ?? DEFAULT_DOCKER_SOCKET };
}

export function where(p: { socket_path?: string | undefined; credential_id?: string | undefined }): string {
  return p.credential_id !== undefined ? `the Docker daemon of credential ${p.credential_id}` : `the Docker daemon at ${p.socket_path ?? DEFAULT_DOCKER_SOCKET}`;
}
