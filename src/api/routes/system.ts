import { Type } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { asDatabaseError } from '../../store/database-errors.js';
import { problems } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

/** Health (public), Prometheus metrics (viewer or the metrics token). */
export function systemRoutes(f: Api, deps: ApiDeps): void {
  f.get('/health', {
    schema: {
      tags: ['system'], summary: 'Liveness: the process answers and its database responds (503 database_unavailable, with the reason, while it is down or full)',
      security: [], response: { 200: Type.Object({ status: Type.String(), dialect: Type.String() }), ...problems(503) },
    },
    config: { public: true },
  }, async () => {
    const db = deps.app.availability;
    // What the monitor knows first: a full SQLite disk still answers reads, so a read alone would say 200.
    // 503 either way (a load balancer's signal); the detail names the reason. A plain ItwError: this
    // repeats what the monitor knows, it is no new report to it.
    if (db.status !== 'available') {
      const why = db.status === 'full' ? `full: ${db.reason ?? 'no space left'}` : (db.reason ?? 'no answer');
      throw new ItwError('database_unavailable', `the database is unavailable (${why}); try again shortly`);
    }
    try {
      await deps.app.repos.templates.count();
    } catch (err) {
      throw asDatabaseError(err) ?? new ItwError('unavailable', 'the database does not answer', { cause: err });
    }
    return { status: 'ok', dialect: deps.app.store.dialect };
  });

  f.get('/metrics', {
    schema: { tags: ['system'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'], response: { 200: Type.String(), ...problems(401) } },
    config: { minRole: 'viewer' },
  }, async (_req, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).serializer((p) => p as string).send(body);
  });
}
