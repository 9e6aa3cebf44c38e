import type { FastifyRequest } from 'fastify';

/**
 * URL path segments that are credentials: a signed approval link's token is the right to answer,
 * so it must not land in the request log (docs/SECURITY.md, finding 10).
 */
const SECRET_PATHS: readonly RegExp[] = [/^(\/approvals\/)[^/?#]+/];

export function redactUrl(url: string): string {
  return SECRET_PATHS.reduce((u, re) => u.replace(re, '$1[redacted]'), url);
}

/** Fastify's request log fields, with credential-bearing URLs redacted. */
export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}
