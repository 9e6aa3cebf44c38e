import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { bootstrapAdminKey } from '../api/auth/bootstrap-admin.js';
import { SetupToken } from '../api/auth/setup-token.js';
import { prettyStream } from '../api/observability/pretty-log-stream.js';
import { buildServer } from '../api/server.js';
import { createApp, type App } from '../app.js';
import type { ProcessRole } from '../cluster/cluster-node.js';
import { ItwError } from '../model/errors.js';
import { loadConfig, type Config } from '../config/config.js';
import type { CliIo } from './io.js';
import { describeListenError, probePort } from './listen-errors.js';
import { youngGenerationMayGrow } from './heap-tuning.js';
import { SERVE_HELP } from './help-texts.js';

function overrides(values: { host?: string | undefined; port?: string | undefined; 'data-dir'?: string | undefined }): Partial<Config> {
  const o: { -readonly [K in keyof Config]?: Config[K] } = {};
  if (values.host !== undefined) o.host = values.host;
  if (values['data-dir'] !== undefined) o.dataDir = values['data-dir'];
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Object.assign(new Error(`--port must be 0..65535, got "${values.port}"`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    o.port = port;
  }
  return o;
}

export function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

/**
 * createApp, with a refusal people can act on printed as one line: a configuration that cannot work
 * (SQLite for a cluster role...) is 2, a data dir another process runs is 1.
 */
export async function startApp(config: Config, role: ProcessRole, io: CliIo): Promise<App | number> {
  try {
    return await createApp(config, { role });
  } catch (err) {
    if (err instanceof ItwError && (err.code === 'config_invalid' || err.code === 'data_dir_locked')) {
      io.err(`itw: ${err.message}`);
      return err.code === 'config_invalid' ? 2 : 1;
    }
    throw err;
  }
}

export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'no-worker': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return io.out(SERVE_HELP), 0;
  const config = loadConfig(io.env, overrides(values));
  // Before anything is opened or written: a busy port is one line and exit 1, nothing left behind.
  const busy = await probePort(config.host, config.port);
  if (busy !== undefined) return io.err(`itw: ${busy}`), 1;
  const stopped = nextSignal();
  const app = await startApp(config, values['no-worker'] ? 'api' : 'standalone', io);
  if (typeof app === 'number') return app;
  const setupToken = (await app.repos.users.count()) === 0 ? new SetupToken() : undefined;
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  const server = await buildServer(app, config, { ...(setupToken ? { setupToken } : {}), ...(pretty ? { logStream: prettyStream() } : {}) });
  try {
    await server.listen({ host: config.host, port: config.port });
  } catch (err) {
    const line = describeListenError(err, config.host, config.port);
    await server.close();
    await app.close();
    if (line === undefined) throw err;
    return io.err(`itw: ${line}`), 1;
  }
  youngGenerationMayGrow();
  if (app.sandboxWarning) server.log.warn({ sandbox: 'unavailable' }, app.sandboxWarning);
  for (const p of app.templateProblems) server.log.warn({ file: p.file, path: p.path }, `template skipped: ${p.message}`);
  const keyFile = await bootstrapAdminKey(app.repos, config.dataDir);
  const { address, port } = server.server.address() as AddressInfo;
  const base = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  // One write, so the banner is never split by a log line or read half-printed by whoever watches stdout.
  const banner = [`itw: listening on ${base} (web UI at ${base}/, API docs at ${base}/docs)`];
  if (keyFile) banner.push(`itw: created an admin API key in ${keyFile} (readable by this user only) for scripts and curl`);
  if (setupToken) {
    banner.push(`itw: no users yet. Open ${base}/ and create the first admin with this one-time setup token:`);
    banner.push(`itw:     ${setupToken.value}`);
    banner.push('itw: (without a browser: npx itw user create --username admin --role admin)');
  }
  io.out(banner.join('\n'));

  const signal = await stopped;
  server.log.info({ signal }, 'shutting down');
  // Stop accepting and let in-flight requests finish, up to the grace period; then stop the engine
  // (running steps get the same grace to finish; what still runs is released and re-dispatched at the
  // next start) and close the store.
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), config.shutdownGraceMs)));
  const closed = await Promise.race([server.close().then(() => 'closed' as const), grace]);
  clearTimeout(timer);
  if (closed === 'timeout') server.log.warn('grace period over: closing remaining connections');
  server.server.closeAllConnections();
  await app.close({ graceMs: config.shutdownGraceMs });
  server.log.info('stopped');
  return 0;
}
