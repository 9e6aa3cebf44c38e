import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { httpRequest, httpStatusError, type HttpResponse } from './http-client.js';
import { LOOPBACK } from '../../../test/support/loopback-egress.js';

let server: Server;
let base: string;
/** Fires when a request reaches /hang, so abort tests need no sleeps. */
const hangs = new EventTarget();

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/json':
      return json(res, 200, { ok: true, n: 1 });
    case '/problem':
      res.writeHead(200, { 'content-type': 'application/problem+json; charset=utf-8' }).end('{"title":"t"}');
      return;
    case '/text':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      return;
    case '/bad-json':
      res.writeHead(200, { 'content-type': 'application/json' }).end('not json{');
      return;
    case '/empty':
      res.writeHead(204).end();
      return;
    case '/echo':
      return json(res, 200, { method: req.method, query: Object.fromEntries(url.searchParams), headers: req.headers, body: await readAll(req) });
    case '/redirect':
      res.writeHead(302, { location: '/json' }).end();
      return;
    case '/not-found':
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing');
      return;
    case '/unavailable':
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '2' }).end('x'.repeat(2000));
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(4096));
      return;
    case '/big-chunked':
      // No content-length: the limit must hold while streaming.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('x'.repeat(1000));
      res.end('x'.repeat(1000));
      return;
    case '/reset':
      req.socket.destroy();
      return;
    case '/hang':
      hangs.dispatchEvent(new Event('hang'));
      return; // never answers
    default:
      res.writeHead(500).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void route(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // Hanging requests and keep-alive sockets would otherwise hold close() open.
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

async function failure(promise: Promise<unknown>): Promise<ItwError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ItwError);
  return err as ItwError;
}

describe('httpRequest', () => {
  it('parses JSON by content-type, including +json types', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'get', url: `${base}/json`, timeoutMs: 5000 });
    expect(res).toMatchObject({ status: 200, body: { ok: true, n: 1 }, method: 'GET' });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.duration_ms).toBeGreaterThanOrEqual(0);
    const problem = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/problem`, timeoutMs: 5000 });
    expect(problem.body).toEqual({ title: 't' });
  });

  it('returns text for non-JSON types, for unparseable JSON in auto mode, and when asked', async () => {
    expect((await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/text`, timeoutMs: 5000 })).body).toBe('hello');
    expect((await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/bad-json`, timeoutMs: 5000 })).body).toBe('not json{');
    const asText = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/json`, timeoutMs: 5000, responseType: 'text' });
    expect(asText.body).toBe('{"ok":true,"n":1}');
  });

  it('fails a 2xx that is not JSON when JSON was demanded', async () => {
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/text`, timeoutMs: 5000, responseType: 'json' }));
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.code).toBe('invalid_response');
  });

  it('gives null for an empty JSON-expected body', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'DELETE', url: `${base}/empty`, timeoutMs: 5000, responseType: 'json' });
    expect(res).toMatchObject({ status: 204, body: null });
  });

  it('appends query params to the URL query, encoded', async () => {
    const res = await httpRequest({
      egress: LOOPBACK,
      method: 'GET',
      url: `${base}/echo?keep=1`,
      query: { q: 'a b&c=d', n: 5, flag: false },
      timeoutMs: 5000,
    });
    expect((res.body as { query: unknown }).query).toEqual({ keep: '1', q: 'a b&c=d', n: '5', flag: 'false' });
  });

  it('sends objects as JSON with a content-type, and strings as given', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'POST', url: `${base}/echo`, body: { a: [1, 2] }, timeoutMs: 5000 });
    const echoed = res.body as { method: string; headers: Record<string, string>; body: string };
    expect(echoed.method).toBe('POST');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(JSON.parse(echoed.body)).toEqual({ a: [1, 2] });

    const raw = await httpRequest({
      egress: LOOPBACK,
      method: 'PUT',
      url: `${base}/echo`,
      headers: { 'Content-Type': 'text/csv' },
      body: 'a,b\n1,2',
      timeoutMs: 5000,
    });
    const rawEcho = raw.body as { headers: Record<string, string>; body: string };
    expect(rawEcho.headers['content-type']).toBe('text/csv');
    expect(rawEcho.body).toBe('a,b\n1,2');
  });

  it('turns URL credentials into a Basic header and keeps them out of the response url', async () => {
    const port = new URL(base).port;
    const res = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `http://me:p%40ss@127.0.0.1:${port}/echo`, timeoutMs: 5000 });
    const headers = (res.body as { headers: Record<string, string> }).headers;
    expect(headers['authorization']).toBe(`Basic ${Buffer.from('me:p@ss').toString('base64')}`);
    expect(res.url).not.toContain('p%40ss');
  });

  it('follows redirects', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/redirect`, timeoutMs: 5000 });
    expect(res).toMatchObject({ status: 200, body: { ok: true, n: 1 } });
  });

  it('rejects invalid URLs and non-http schemes as non-retryable', async () => {
    for (const url of ['not a url', 'ftp://example.com/file', 'file:///etc/passwd']) {
      const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url, timeoutMs: 5000 }));
      expect(err).toBeInstanceOf(NonRetryableError);
      expect(err.code).toBe('invalid_url');
    }
  });

  it('rejects an unsendable header as non-retryable without echoing its value', async () => {
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/json`, headers: { 'x-token': 'sekret\r\nx: y' }, timeoutMs: 5000 }));
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err.code).toBe('invalid_request');
    expect(err.message).not.toContain('sekret');
  });

  it('times out a server that never answers, as retryable', async () => {
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/hang`, timeoutMs: 200 }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('timed out after 0.2s');
  });

  it('reports connection refused as a retryable network error naming the host and cause', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');

    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `http://127.0.0.1:${port}/x`, timeoutMs: 5000 }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.code).toBe('network_error');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('reports a connection dropped mid-request as a retryable network error', async () => {
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/reset`, timeoutMs: 5000 }));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.code).toBe('network_error');
    expect(err.message).toContain(`${base}/reset`);
  });

  it('throws a non-retryable cancelled error when the external signal aborts', async () => {
    const controller = new AbortController();
    hangs.addEventListener('hang', () => controller.abort(), { once: true });
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/hang`, timeoutMs: 10_000, signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('request aborted');
  });

  it('does not start when the signal is already aborted', async () => {
    const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/json`, timeoutMs: 5000, signal: AbortSignal.abort() }));
    expect(err.code).toBe('cancelled');
  });

  it('refuses responses over maxResponseBytes, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const err = await failure(httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}${path}`, timeoutMs: 5000, maxResponseBytes: 1024 }));
      expect(err).toBeInstanceOf(NonRetryableError);
      expect(err.code).toBe('response_too_large');
    }
    const ok = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/big`, timeoutMs: 5000, maxResponseBytes: 4096 });
    expect(ok.body).toHaveLength(4096);
  });
});

describe('httpStatusError', () => {
  it('accepts 2xx and 3xx', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'GET', url: `${base}/json`, timeoutMs: 5000 });
    expect(httpStatusError(res)).toBeUndefined();
    expect(httpStatusError({ ...res, status: 304 })).toBeUndefined();
  });

  it('makes a 404 non-retryable with the status and a body excerpt, without secrets', async () => {
    const res = await httpRequest({
      egress: LOOPBACK,
      method: 'GET',
      url: `${base}/not-found?api_key=sekret-q`,
      headers: { authorization: 'Bearer sekret-h' },
      timeoutMs: 5000,
    });
    const err = httpStatusError(res);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err?.code).toBe('http_status');
    expect(err?.details).toEqual({ status: 404, body_excerpt: 'no such thing' });
    expect(err?.message).toBe(`HTTP 404 Not Found from GET ${base}/not-found`);
    expect(err?.message).not.toMatch(/sekret/);
  });

  it('makes a 503 retryable, honouring Retry-After seconds, with an excerpt of at most 500 chars', async () => {
    const res = await httpRequest({ egress: LOOPBACK, method: 'POST', url: `${base}/unavailable`, timeoutMs: 5000 });
    const err = httpStatusError(res);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as RetryableError).retryAfterMs).toBe(2000);
    expect(err?.message).toBe(`HTTP 503 Service Unavailable from POST ${base}/unavailable`);
    expect((err?.details?.['body_excerpt'] as string).length).toBe(500);
  });

  it('retries 429 and 408, reading an HTTP-date Retry-After against the given clock', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    const base429: HttpResponse = {
      status: 429,
      headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:05 GMT' },
      body: { error: 'slow down' },
      duration_ms: 1,
      url: 'https://api.example.com/v1/things?token=t',
      method: 'GET',
    };
    const tooMany = httpStatusError(base429, now) as RetryableError;
    expect(tooMany).toBeInstanceOf(RetryableError);
    expect(tooMany.retryAfterMs).toBe(5000);
    expect(tooMany.details).toEqual({ status: 429, body_excerpt: '{"error":"slow down"}' });
    expect(tooMany.message).toBe('HTTP 429 Too Many Requests from GET https://api.example.com/v1/things');

    const timeout = httpStatusError({ ...base429, status: 408, headers: {} }, now) as RetryableError;
    expect(timeout).toBeInstanceOf(RetryableError);
    expect(timeout.retryAfterMs).toBeUndefined();
  });
});
