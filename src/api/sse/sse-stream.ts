import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventHub } from './event-hub.js';
import type { StreamLimits } from './stream-limits.js';

export interface SseStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once, when the client goes away or the stream is closed. */
  onClose(fn: () => void): void;
}

/**
 * Takes the response over from Fastify and speaks text/event-stream on it: `event:`/`data:` messages,
 * a comment line every `heartbeatMs` so proxies keep the connection open, and cleanup on disconnect.
 */
export function openSse(request: FastifyRequest, reply: FastifyReply, hub: EventHub, heartbeatMs: number, limits: StreamLimits): SseStream {
  // Before the response is taken over, so a refusal is an ordinary 429 problem answer.
  const p = request.principal;
  const release = limits.acquire(p ? `${p.kind}:${p.id}` : `ip:${request.ip}`);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // A stream owns its connection: when it ends (execution final, shutdown) the socket goes too, so close() never waits on it.
    connection: 'close',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  const closers: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    release();
    untrack();
    for (const fn of closers) fn();
  };
  // Ending a stream also drops its socket: a client that stopped reading must not hold shutdown up.
  const end = () => res.end(() => res.destroy());
  const untrack = hub.trackStream(() => {
    finish();
    end();
  });
  res.on('close', finish);
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      finish();
      end();
    },
    onClose(fn) {
      if (closed) fn();
      else closers.push(fn);
    },
  };
}
