import { createServer } from 'node:net';

/** A listen failure people can act on, in one line; undefined for anything else (a bug: keep its stack). */
export function describeListenError(err: unknown, host: string, port: number): string | undefined {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use: stop what listens there, or pick another port with --port (npm start -- --port ${port === 65535 ? 8024 : port + 1})`;
    case 'EACCES':
      return `not allowed to listen on port ${port}: ports below 1024 need privileges; use --port with a higher one`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}: no such address on this machine (--host, ITW_HOST)`;
    default:
      return undefined;
  }
}

/**
 * Binds and releases the port before anything else starts, so a busy port is reported before the
 * database is opened, keys are written or the engine runs. The real bind can still lose a race;
 * serve reports that the same way.
 */
export function probePort(host: string, port: number): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err) => resolve(describeListenError(err, host, port) ?? `cannot listen on ${host}:${port}: ${err.message}`));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
