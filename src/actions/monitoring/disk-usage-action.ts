import { Type } from '@sinclair/typebox';
import { type ActionContext, defineAction } from '../define-action.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { remoteCommandLine, resolveSshTarget, runRemote } from '../infrastructure/ssh-exec.js';
import { type DiskSpace, localDiskSpace, parseDf } from './disk-space.js';

const ID = 'disk_usage';
const DEFAULT_TIMEOUT_SECONDS = 30;

const DiskUsageParams = Type.Object(
  {
    paths: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 4096, pattern: '^/', description: 'Absolute path' }), {
        minItems: 1,
        maxItems: 50,
        description: 'Paths whose file systems to report. Default: / on this host; every mounted file system over SSH',
      }),
    ),
    ssh_credential_id: Type.Optional(Type.String({ minLength: 1, description: 'ssh_key credential: run df -P -k on that host instead of this one' })),
    threshold_pct: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'ok is false when a file system is fuller than this (percent used)' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 300, default: DEFAULT_TIMEOUT_SECONDS, description: 'Over SSH: budget for connecting and running df' })),
  },
  { additionalProperties: false },
);

const DiskUsageOutput = Type.Object({
  ok: Type.Boolean({ description: 'No file system is above threshold_pct (always true without one)' }),
  host: Type.String({ description: '"local", or the SSH host' }),
  mounts: Type.Array(
    Type.Object({
      path: Type.String(),
      mount: Type.String({ description: 'Mount point of the file system holding path' }),
      filesystem: Type.String(),
      size: Type.Number({ description: 'Bytes' }),
      used: Type.Number({ description: 'Bytes' }),
      avail: Type.Number({ description: 'Bytes available to unprivileged users' }),
      use_pct: Type.Number({ description: 'Percent used, as df reports it' }),
    }),
  ),
  breached: Type.Array(Type.String(), { description: 'Mount points above threshold_pct' }),
});

type Params = ActionContext<(typeof DiskUsageParams)['static']>['params'];

async function local(paths: readonly string[]): Promise<DiskSpace[]> {
  return Promise.all(
    paths.map((path, i) =>
      localDiskSpace(path).catch((err: NodeJS.ErrnoException) => {
        throw invalidParam(ID, `/paths/${i}`, `cannot stat ${path} on this host (${err.code ?? err.message})`);
      }),
    ),
  );
}

async function remote(ctx: ActionContext<Params>, credentialId: string): Promise<{ host: string; mounts: DiskSpace[] }> {
  const target = await resolveSshTarget(ctx.credentials, ctx.services.egress, credentialId);
  const paths = ctx.params.paths ?? [];
  const timeoutSeconds = ctx.params.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS;
  // Paths are argv entries after `--`, quoted by remoteCommandLine: data, never shell.
  const commandLine = remoteCommandLine(['df', '-P', '-k', '--', ...paths], { env: { LC_ALL: 'C' }, timeoutSeconds });
  const res = await withSecretsMasked([target.privateKey, target.passphrase], () => runRemote(target, { commandLine, timeoutMs: timeoutSeconds * 1000, signal: ctx.signal }));
  if (res.timedOut) throw new RetryableError('timeout', `df on ${target.host} timed out after ${timeoutSeconds}s`);
  if (res.aborted) throw new NonRetryableError('cancelled', 'disk_usage cancelled');
  if (res.exitCode !== 0) {
    const why = res.stderr.trim().split('\n')[0] || `exit code ${res.exitCode}`;
    throw new NonRetryableError('command_failed', `df on ${target.host} failed: ${why}`, { details: { exit_code: res.exitCode } });
  }
  return { host: target.host, mounts: parseDf(res.stdout, paths) };
}

export const diskUsageAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'Disk Usage',
  description:
    'Reports size, used and available bytes and percent used of file systems, on this host (statfs) or on a remote host over SSH (df -P -k). With threshold_pct, ok is false and breached names the mounts fuller than that.',
  params: DiskUsageParams,
  output: DiskUsageOutput,
  async run(ctx) {
    const p = ctx.params;
    const { host, mounts } = p.ssh_credential_id === undefined ? { host: 'local', mounts: await local(p.paths ?? ['/']) } : await remote(ctx, p.ssh_credential_id);
    const breached = p.threshold_pct === undefined ? [] : [...new Set(mounts.filter((m) => m.use_pct > p.threshold_pct!).map((m) => m.mount))];
    for (const m of mounts) ctx.log.log(breached.includes(m.mount) ? 'warn' : 'info', `${host} ${m.mount}: ${m.use_pct}% used`, { use_pct: m.use_pct });
    return { ok: breached.length === 0, host, mounts, breached };
  },
  plan(ctx) {
    const p = ctx.params;
    const where = p.ssh_credential_id === undefined ? 'this host' : `the host of SSH credential ${p.ssh_credential_id}`;
    const what = p.paths === undefined ? (p.ssh_credential_id === undefined ? '/' : 'every file system') : p.paths.join(', ');
    return `report disk usage of ${what} on ${where}${p.threshold_pct === undefined ? '' : `, over ${p.threshold_pct}% is a breach`}`;
  },
});
