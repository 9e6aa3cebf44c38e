import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { withDocker } from './docker-client.js';
import { dockerEndpoint, DockerTargetParams, where } from './docker-target.js';

const ID = 'docker_restart';

const Params = Type.Object(
  {
    ...DockerTargetParams,
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600, default: 10, description: 'Seconds to wait for the container to stop before killing it' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  container: Type.String(),
  restarted: Type.Boolean(),
});

export const dockerRestartAction = defineAction({
  id: ID,
  // No default retries: a restart that timed out on our side may have happened, and another would stop the container again.
  category: 'containers',
  name: 'Docker Restart Container',
  description:
    'Restarts a container through the Docker Engine API (POST /containers/{id}/restart?t=N), over a unix socket the ' +
    'operator allowed (ITW_DOCKER_SOCKETS) or a daemon reached over TCP with TLS.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const endpoint = await dockerEndpoint(ID, ctx);
    return withDocker(endpoint, ctx.services.dockerSockets, outbound(ctx), async (docker) => {
      await docker.request('POST', `/containers/${encodeURIComponent(p.container)}/restart`, { t: p.timeout_seconds ?? 10 });
      ctx.log.log('info', `restarted container ${p.container}`);
      return { container: p.container, restarted: true };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `restart container ${p.container} on ${where(p)} (stop timeout ${p.timeout_seconds ?? 10}s)`;
  },
});
