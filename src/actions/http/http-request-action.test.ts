import { noCredentials } from '../../model/credentials.js';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepLogger, StepLogLevel } from '../../engine/node-handler.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { httpRequestAction } from './http-request-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof httpRequestAction.run>[0]['params'];
interface Line {
  level: StepLogLevel;
  message: string;
  data?: Record<string, unknown> | undefined;
}

let server: Server;
let base: string;

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.searchParams.get('status') ?? 200);
      const echo = { method: req.method, query: Object.fromEntries(url.searchParams), headers: req.headers, body: await readAll(req) };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

function context(params: Params) {
  const lines: Line[] = [];
  const log: StepLogger = { log: (level, message, data) => void lines.push({ level, message, data }) };
  return { lines, ctx: { params, log, signal: new AbortController().signal, idempotencyKey: 'exec-1:call:0:1', credentials: noCredentials, services: testServices() } };
}

interface Echo {
  method: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

describe('http_request action', () => {
  it('performs the request and returns status, headers, body and duration', async () => {
    const { ctx, lines } = context({ method: 'POST', url: `${base}/hooks`, query: { n: 1 }, body: { hello: 'world' } });
    const out = await httpRequestAction.run(ctx);
    const echo = out.body as Echo;
    expect(out.status).toBe(200);
    expect(out.headers['content-type']).toBe('application/json');
    expect(typeof out.duration_ms).toBe('number');
    expect(echo).toMatchObject({ method: 'POST', query: { n: '1' }, body: '{"hello":"world"}' });
    expect(echo.headers['idempotency-key']).toBe('exec-1:call:0:1');
    expect(lines).toEqual([{ level: 'info', message: `POST ${base}/hooks → 200`, data: expect.objectContaining({ status: 200 }) }]);
  });

  it('defaults to GET and keeps an Idempotency-Key the user set', async () => {
    const { ctx } = context({ url: `${base}/x`, headers: { 'idempotency-key': 'mine' } });
    const echo = (await httpRequestAction.run(ctx)).body as Echo;
    expect(echo.method).toBe('GET');
    expect(echo.headers['idempotency-key']).toBe('mine');
  });

  it('fails on error statuses by default, retryable or not by status', async () => {
    await expect(httpRequestAction.run(context({ url: `${base}/x?status=502` }).ctx)).rejects.toBeInstanceOf(RetryableError);
    const notFound = httpRequestAction.run(context({ url: `${base}/x?status=404` }).ctx);
    await expect(notFound).rejects.toBeInstanceOf(NonRetryableError);
    await expect(notFound).rejects.toMatchObject({ code: 'http_status', details: { status: 404 } });
  });

  it('returns error statuses as output when fail_on_status is false', async () => {
    const out = await httpRequestAction.run(context({ url: `${base}/x?status=500`, fail_on_status: false }).ctx);
    expect(out.status).toBe(500);
  });

  it('honours response_type', async () => {
    const out = await httpRequestAction.run(context({ url: `${base}/x`, response_type: 'text' }).ctx);
    expect(typeof out.body).toBe('string');
  });

  it('plans as method and URL without query or credentials', async () => {
    const { ctx } = context({ method: 'DELETE', url: 'https://user:pw@api.example.com/v1/items/7?token=t' });
    expect(await httpRequestAction.plan?.(ctx)).toBe('DELETE https://api.example.com/v1/items/7');
  });
});
