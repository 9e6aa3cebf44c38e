import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, ok } from './client';

/** An ApiClient whose fetch records each request and answers with `answer`. */
function harness(answer: (req: Request) => Response = () => Response.json({})) {
  const seen: Request[] = [];
  const api = new ApiClient({ baseUrl: 'http://ui.test', fetch: (input) => { const req = input as Request; seen.push(req); return Promise.resolve(answer(req)); } });
  return { api, seen };
}

const problem = (status: number, body: object) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

describe('the UI API client (openapi-fetch with the session middleware)', () => {
  it('sends the CSRF token on unsafe methods only, with the session cookie', async () => {
    const { api, seen } = harness();
    api.setCsrfToken('tok-1');
    await ok(api.http.GET('/automation/workflows'));
    await ok(api.http.POST('/automation/workflows/{id}/activate', { params: { path: { id: 'wf_1' } } }));
    await ok(api.http.DELETE('/automation/workflows/{id}', { params: { path: { id: 'wf_1' } } }));
    expect(seen.map((r) => [r.method, r.headers.get('x-csrf-token')])).toEqual([['GET', null], ['POST', 'tok-1'], ['DELETE', 'tok-1']]);
    expect(seen.every((r) => r.credentials === 'same-origin')).toBe(true);
  });

  it('puts path and query parameters into the URL encoded, arrays as repeated keys', async () => {
    const { api, seen } = harness(() => Response.json({ items: [], next_cursor: null }));
    await ok(api.http.GET('/automation/workflows/{id}', { params: { path: { id: 'a/b?c' } } }));
    await ok(api.http.GET('/automation/executions', { params: { query: { status: ['failed', 'running'], limit: 5 } } }));
    expect(seen.map((r) => r.url)).toEqual([
      'http://ui.test/automation/workflows/a%2Fb%3Fc',
      'http://ui.test/automation/executions?status=failed&status=running&limit=5',
    ]);
  });

  it('throws the problem+json answer as an ApiError with its status, code, detail and field problems', async () => {
    const errors = [{ path: '/nodes/0/config', message: 'is required', in: 'body' }];
    const { api } = harness(() => problem(422, { type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'invalid workflow', code: 'validation_failed', errors }));
    const err = await ok(api.http.POST('/automation/workflows', { body: { name: 'x' } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: 'invalid workflow', problems: errors });
  });

  it('ends the session on a 401, except for a wrong password at the login form', async () => {
    const { api } = harness(() => problem(401, { title: 'Unauthorized', status: 401, detail: 'no valid credentials', code: 'unauthorized' }));
    let ended = 0;
    api.onUnauthorized(() => { ended += 1; });
    await expect(ok(api.http.POST('/auth/login', { body: { username: 'u', password: 'wrong' } }))).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(0);
    await expect(ok(api.http.GET('/auth/me'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(ended).toBe(1);
  });
});
