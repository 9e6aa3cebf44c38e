import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../../store/audit-log.js';
import type { Principal } from '../types.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Logins are audited by outcome elsewhere (throttle); SSE and health are reads. Trigger ingress
// (webhooks, alerts, deployment hooks, custom endpoints) starts executions: the store audits each
// start as `execution.started` in the transaction that records it (store/execution-audit.ts).
const SKIP = [/^\/auth\/login$/, /^\/(webhooks|alerts|deployments|api\/custom)\/\*$/];

function actorOf(p: Principal | undefined): string | null {
  if (!p) return null;
  return p.kind === 'session' ? `user:${p.name}` : `${p.kind}:${p.name}`;
}

/** The resource a route acts on: `/automation/workflows/:id/...` → workflows + the id. */
function resourceOf(routeUrl: string, params: Record<string, unknown>): { type: string; id: string | null } {
  const parts = routeUrl.split('/').filter((p) => p && p !== 'automation');
  const type = parts.find((p) => !p.startsWith(':')) ?? 'unknown';
  const firstParam = parts.find((p) => p.startsWith(':'));
  const id = firstParam ? params[firstParam.slice(1)] : undefined;
  return { type, id: typeof id === 'string' ? id : null };
}

/**
 * Writes every successful mutation through the API to the append-only audit log (ARCHITECTURE.md §6;
 * execution starts are audited by the store). A failure to audit is logged, never hidden.
 */
export function recordMutations(f: FastifyInstance, audit: AuditLog): void {
  // onSend, not onResponse: the entry is written before the client hears back, so a reader that
  // follows a mutation always finds it.
  // A callback hook: requests that change nothing (and trigger ingress) pass without a promise.
  f.addHook('onSend', (req, reply, payload, done) => {
    if (!MUTATING.has(req.method) || reply.statusCode >= 400) return done(null, payload);
    const route = req.routeOptions.url ?? req.url;
    if (SKIP.some((r) => r.test(route))) return done(null, payload);
    const { type, id } = resourceOf(route, (req.params ?? {}) as Record<string, unknown>);
    audit.append({
      ts: Date.now(), actor: actorOf((req as { principal?: Principal }).principal), action: `${req.method} ${route}`,
      resource_type: type, resource_id: id, details: { status: reply.statusCode },
    }).catch((err: unknown) => {
      req.log.error({ err }, 'audit: could not record a mutation');
    }).finally(() => done(null, payload));
  });
}
