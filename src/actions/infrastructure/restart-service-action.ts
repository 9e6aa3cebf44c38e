import { Type } from '@sinclair/typebox';
import type { ServiceAllowList } from './service-allow-list.js';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { NonRetryableError } from '../../model/errors.js';
import { httpAuth } from '../data/http-auth.js';
import { describeRequest, httpRequest, httpStatusError } from '../http/http-client.js';
import { describeEnd, throwIfFailed, throwIfKilled } from '../process/process-outcome.js';
import { runProcess } from '../process/run-process.js';
import { FleetOutput, fleetParams } from '../fleet/fleet-params.js';
import { runFleet } from '../fleet/run-fleet.js';
import { runOnHost } from '../fleet/ssh-fleet.js';
import { remoteCommandLine } from './ssh-exec.js';

const METHODS = ['systemd', 'command', 'http'] as const;
const DEFAULT_TIMEOUT_SECONDS = 60;
// No leading '-': systemctl would read the unit as an option.
const UNIT_NAME = /^[A-Za-z0-9@._][A-Za-z0-9@._-]*$/;

const RestartServiceParams = Type.Object(
  {
    service: Type.String({ minLength: 1, description: 'Service (systemd unit) name, checked against the allow-list' }),
    method: Type.Union(METHODS.map((m) => Type.Literal(m)), { default: 'systemd' }),
    command: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Method "command": the argv configured for the service in ITW_RESTART_COMMANDS (the default); any other is refused' })),
    url: Type.Optional(Type.String({ description: 'Endpoint POSTed to for method "http"' })),
    credential_id: Type.Optional(Type.String({ description: 'http_bearer/http_basic/http_header credential for method "http"' })),
    allowed_services: Type.Optional(Type.Array(Type.String(), { description: 'Narrows the configured allow-list for this step' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: DEFAULT_TIMEOUT_SECONDS })),
    allow_network: Type.Optional(Type.Boolean({ default: false, description: 'Method "command": share the host network (sandboxed otherwise); refused while the egress guard is on unless ITW_SCRIPT_NETWORK=host' })),
    ...fleetParams,
  },
  { additionalProperties: false },
);

const OneRestartOutput = Type.Object({
  service: Type.String(),
  method: Type.Union(METHODS.map((m) => Type.Literal(m))),
  exit_code: Type.Optional(Type.Integer()),
  status: Type.Optional(Type.Integer({ description: 'HTTP status, method "http"' })),
  duration_ms: Type.Number(),
});

const RestartServiceOutput = Type.Union([OneRestartOutput, FleetOutput], { description: 'One restart, or with `targets` the fleet outcome' });

type Params = (typeof RestartServiceParams)['static'];

/** `systemctl restart <unit>`, refusing names that are not plain unit names. */
export function systemdArgv(service: string): string[] {
  if (!UNIT_NAME.test(service)) throw new NonRetryableError('invalid_params', `invalid systemd unit name: ${JSON.stringify(service)}`);
  return ['systemctl', 'restart', service];
}

function commandArgv(p: Params, allowList: ServiceAllowList): readonly string[] {
  if (p.method === 'systemd') return systemdArgv(p.service);
  return allowList.commandFor(p.service, p.command);
}

export const restartServiceAction = defineAction({
  id: 'restart_service',
  category: 'infrastructure',
  name: 'Restart Service',
  description: 'Restarts an allow-listed service with systemctl, a command, or an HTTP call; with `targets`, over SSH on every inventory host selected.',
  params: RestartServiceParams,
  codeParams: { command: CODE_HINTS.restart },
  output: RestartServiceOutput,
  async run(ctx) {
    const p = ctx.params;
    ctx.services.serviceControl.check(p.service, p.allowed_services);
    const timeoutSeconds = p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (p.targets !== undefined) {
      // The same fixed argv (systemctl restart <allow-listed unit>, or the configured command) on every host.
      if (p.method === 'http') throw new NonRetryableError('invalid_params', 'method "http" restarts through one endpoint; `targets` needs method "systemd" or "command"', { details: { path: '/method' } });
      const commandLine = remoteCommandLine(commandArgv(p, ctx.services.serviceControl), { timeoutSeconds });
      return runFleet(
        { targets: p.targets, concurrency: p.concurrency, max_failures: p.max_failures, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal, log: ctx.log, fleet: ctx.services.fleet },
        (host, _key, signal) => runOnHost({ credentials: ctx.credentials, egress: ctx.services.egress, log: ctx.log }, host, { commandLine, timeoutSeconds }, signal),
      );
    }
    if (p.method === 'http') {
      if (!p.url) throw new NonRetryableError('invalid_params', 'method "http" needs `url`');
      const auth = await httpAuth(ctx.credentials, p.credential_id);
      const res = await httpRequest({
        method: 'POST',
        url: p.url,
        headers: { ...auth?.headers, 'idempotency-key': ctx.idempotencyKey },
        ...(auth ? { credential: auth.credential } : {}),
        body: { service: p.service, action: 'restart' },
        timeoutMs: timeoutSeconds * 1000,
        signal: ctx.signal,
        egress: ctx.services.egress,
      });
      ctx.log.log('info', `restart ${p.service}: ${describeRequest('POST', res.url)} → ${res.status}`, { status: res.status });
      const err = httpStatusError(res);
      if (err) throw err;
      return { service: p.service, method: p.method, status: res.status, duration_ms: res.duration_ms };
    }
    const argv = commandArgv(p, ctx.services.serviceControl);
    // systemctl needs the host (and runs a fixed argv for an allow-listed unit); a command is user code: sandboxed.
    const sandbox = p.method === 'command' ? { sandbox: { network: p.allow_network ?? false, step: ctx.idempotencyKey, service: ctx.services.sandbox } } : {};
    const r = await runProcess({ argv, timeoutMs: timeoutSeconds * 1000, signal: ctx.signal, ...sandbox });
    const what = `restart ${p.service} (${JSON.stringify(argv)})`;
    ctx.log.log(r.exitCode === 0 ? 'info' : 'warn', `${what} → ${describeEnd(r)}`, { exit_code: r.exitCode });
    throwIfKilled(r, what, timeoutSeconds);
    throwIfFailed(r, what, 'restart_failed');
    return { service: p.service, method: p.method, exit_code: 0, duration_ms: r.durationMs };
  },
  plan(ctx) {
    const p = ctx.params;
    if (p.targets !== undefined) return `restart ${p.service} (${p.method ?? 'systemd'}) on every host matching ${JSON.stringify(p.targets)}, ${p.concurrency ?? 5} at a time`;
    if (p.method === 'http') return `restart ${p.service}: ${describeRequest('POST', p.url ?? '')}`;
    if (p.method === 'systemd') return `run ${JSON.stringify(['systemctl', 'restart', p.service])}`;
    return `run the restart command configured for ${p.service}${p.command ? ` (${JSON.stringify(p.command)})` : ''}`;
  },
});
