import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { NonRetryableError } from '../../model/errors.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { withDocker } from './docker-client.js';
import { demultiplex, logLines } from './docker-stream.js';
import { dockerEndpoint, DockerTargetParams, where } from './docker-target.js';

const ID = 'docker_logs';
const DEFAULT_MAX_BYTES = 256 * 1024;

const Params = Type.Object(
  {
    ...DockerTargetParams,
    tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 100, description: 'Last lines to return' })),
    since_seconds: Type.Optional(Type.Integer({ minimum: 1, description: 'Only lines newer than this many seconds' })),
    timestamps: Type.Optional(Type.Boolean({ default: true, description: 'Give each line its timestamp' })),
    stdout: Type.Optional(Type.Boolean({ default: true })),
    stderr: Type.Optional(Type.Boolean({ default: true })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 4 * 1024 * 1024, default: DEFAULT_MAX_BYTES, description: 'Read at most this many bytes of log' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  container: Type.String(),
  lines: Type.Array(Type.Object({
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
    text: Type.String(),
    timestamp: Type.Optional(Type.String({ description: 'RFC 3339 with nanoseconds, as the daemon recorded it' })),
  })),
  truncated: Type.Boolean({ description: 'The log was longer than max_bytes and was cut' }),
});

export const dockerLogsAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'containers',
  name: 'Docker Container Logs',
  description:
    'Reads the last lines of a container\'s stdout and stderr through the Docker Engine API (GET /containers/{id}/logs), ' +
    'split by stream, bounded in size.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const stdout = p.stdout ?? true;
    const stderr = p.stderr ?? true;
    if (!stdout && !stderr) throw new NonRetryableError('invalid_params', `action "${ID}" param /stdout: ask for stdout, stderr or both`, { details: { path: '/stdout' } });
    const timestamps = p.timestamps ?? true;
    const endpoint = await dockerEndpoint(ID, ctx);
    return withDocker(endpoint, ctx.services.dockerSockets, outbound(ctx), async (docker) => {
      const query: Record<string, string | number> = { stdout: stdout ? 1 : 0, stderr: stderr ? 1 : 0, tail: p.tail ?? 100, timestamps: timestamps ? 1 : 0 };
      if (p.since_seconds !== undefined) query['since'] = Math.floor(Date.now() / 1000) - p.since_seconds;
      const res = await docker.request('GET', `/containers/${encodeURIComponent(p.container)}/logs`, query, p.max_bytes ?? DEFAULT_MAX_BYTES);
      // A container started with a TTY has one raw stream (the daemon labels it application/vnd.docker.raw-stream).
      const raw = (res.headers['content-type'] ?? '').includes('raw-stream');
      const chunks = raw ? [{ stream: 'stdout' as const, text: res.body.toString('utf8') }] : demultiplex(res.body);
      const lines = logLines(chunks, timestamps);
      ctx.log.log('info', `read ${lines.length} log line(s) of container ${p.container}${res.truncated ? ' (cut at max_bytes)' : ''}`);
      return { container: p.container, lines, truncated: res.truncated };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `read the last ${p.tail ?? 100} log lines of container ${p.container} on ${where(p)}`;
  },
});
