import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { Api, ApiDeps } from '../types.js';

/**
 * The UI's own pages (ui/src/App.tsx routes): a browser that opens or reloads one of them gets
 * index.html, and the app shows the login page when there is no session. Only these paths fall back
 * to the app, so unknown paths keep answering 401/404 like the rest of the API.
 */
export const UI_PAGES = ['/login', '/workflows', '/executions', '/templates', '/integrations', '/dashboard', '/incidents', '/approvals', '/hosts', '/api-keys', '/users'] as const;
/** Pages with sub-pages (`/workflows/{id}`...). */
export const UI_PAGE_TREES = ['/workflows/*', '/executions/*', '/incidents/*'] as const;

/**
 * The app's HTML may load only our own scripts, styles and API (no CDN, no other origin).
 * 'unsafe-eval': the JSON-Schema forms compile validators at run time (ajv); inline styles: the canvas positions nodes with them.
 */
const CSP = [
  "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
  "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iTechSmart Workflow</title></head>
<body><main><h1>The web UI is not built</h1><p>Run <code>npm run build</code> (or <code>npm install</code>) in the repository, then restart <code>itw serve</code>. The API works without it.</p></main></body></html>`;

function htmlHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
}

/**
 * Serves the built UI (ui/dist) at `/` from the API's port. Static files are public (they hold no
 * data; every API call they make needs the session); hashed assets are cached for good, the HTML
 * never. Missing ui/dist: the pages explain how to build it.
 */
export async function registerUi(f: Api, deps: Pick<ApiDeps, 'config'>): Promise<void> {
  const root = deps.config.uiDir;
  const indexFile = join(root, 'index.html');
  const built = existsSync(indexFile);
  // Read once: the build writes a new index.html only together with new hashed assets, which need a restart anyway.
  const index = built ? readFileSync(indexFile, 'utf8') : NOT_BUILT;

  await f.register(async (child) => {
    child.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    if (built) {
      await child.register(fastifyStatic, {
        root,
        prefix: '/',
        // One route per built file, found at start: no catch-all, so unknown paths stay 401/404.
        wildcard: false,
        decorateReply: false,
        index: false,
        // The page's CSP on every file, not only on the routes above: `/index.html` is the same page, and
        // an SVG or HTML file opened directly is a document that could otherwise run script or be framed.
        setHeaders: (reply, path) => {
          void reply.header('content-security-policy', CSP);
          void reply.header('referrer-policy', 'same-origin');
          void reply.header('x-content-type-options', 'nosniff');
          void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }
    const page = (_req: unknown, reply: FastifyReply) => htmlHeaders(reply).send(index);
    const opts = { schema: { hide: true } };
    child.get('/', opts, page);
    for (const p of [...UI_PAGES, ...UI_PAGE_TREES]) child.get(p, opts, page);
  });
}
