import type { Socket } from 'node:net';
import { ItwError } from '../../model/errors.js';

/** Connect failures that are the check's answer (the target is down or slow), not the step's. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

class SocketTimeout extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * Opens a socket and waits for `event` ('connect' or 'secureConnect'), destroying it on timeout
 * or cancellation. The caller made the address pass the egress guard first.
 */
export function openSocket<S extends Socket>(open: () => S, event: 'connect' | 'secureConnect', timeoutMs: number, signal: AbortSignal): Promise<S> {
  return new Promise<S>((resolve, reject) => {
    if (signal.aborted) return reject(new ItwError('cancelled', 'check cancelled'));
    const socket = open();
    const done = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) return resolve(socket);
      socket.destroy();
      reject(err);
    };
    const onAbort = () => done(new ItwError('cancelled', 'check cancelled'));
    const timer = setTimeout(() => done(new SocketTimeout(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(event, () => done());
    socket.once('error', (err) => done(err));
  });
}

/** A socket or DNS failure as the check's `error` text, or undefined for errors the step must fail with. */
export function connectError(err: unknown): string | undefined {
  if (err instanceof ItwError) return err.code === 'dns_error' ? err.message : undefined;
  const code = (err as { code?: unknown }).code;
  if (err instanceof SocketTimeout) return `timeout: ${err.message}`;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return code;
  if (typeof code === 'string' && /^ERR_(SSL|TLS)_/.test(code)) {
    // OpenSSL's message names its own source files; its `reason` is the part a person can use.
    const reason = (err as { reason?: unknown }).reason;
    return typeof reason === 'string' ? `${code}: ${reason}` : code;
  }
  return err instanceof Error ? err.message : undefined;
}
