import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { App } from '../app.js';
import type { Config } from '../config/config.js';
import { ApiKeyCache } from './auth/api-key-cache.js';
import { installAuth } from './auth/authenticate.js';
import { HashGate } from './auth/hash-gate.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { installErrorHandling } from './error-map.js';
import { recordMutations } from './audit/record-mutations.js';
import { auditRoutes } from './routes/audit.js';
import { AuditLog } from '../store/audit-log.js';
import { logEngineEvent } from './observability/engine-log.js';
import { LazyChildLogger } from './observability/lazy-child-logger.js';
import { PromMetrics } from './observability/prom-metrics.js';
import { serializeRequest } from './observability/request-serializer.js';
import { registerOpenApi } from './openapi.js';
import { actionRoutes } from './routes/actions.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { approvalRoutes } from './routes/approvals.js';
import { authRoutes } from './routes/auth.js';
import { credentialRoutes } from './routes/credentials.js';
import { edgeRoutes } from './routes/edges.js';
import { escalationPolicyRoutes } from './routes/escalation-policies.js';
import { eventRoutes } from './routes/events.js';
import { hostRoutes } from './routes/hosts.js';
import { executionRoutes } from './routes/executions.js';
import { incidentActionRoutes } from './routes/incident-actions.js';
import { incidentRoutes } from './routes/incidents.js';
import { metricsRoutes } from './routes/metrics.js';
import { nodeRoutes } from './routes/nodes.js';
import { systemRoutes } from './routes/system.js';
import { templateRoutes } from './routes/templates.js';
import { transferRoutes, YAML_TYPES } from './routes/transfer.js';
import { triggerRoutes } from './routes/triggers.js';
import { registerUi } from './routes/ui.js';
import { slackRoutes } from './routes/slack.js';
import { triggerIngressRoutes } from './routes/trigger-ingress.js';
import { utilityRoutes } from './routes/utility.js';
import { versionRoutes } from './routes/versions.js';
import { workflowRoutes } from './routes/workflows.js';
import { setupRoutes } from './routes/setup.js';
import type { SetupToken } from './auth/setup-token.js';
import { EventHub } from './sse/event-hub.js';
import { StreamLimits } from './sse/stream-limits.js';
import type { Api, ApiDeps } from './types.js';
import type { DestinationStream } from 'pino';
import { REDACTED } from '../model/redaction-marker.js';
import { redactingStream } from '../engine/redacting-log-stream.js';
import { installValidators } from './validator.js';
import { ItwError } from '../model/errors.js';
import { jsonTextTooDeep, tooDeepMessage } from '../model/json-depth.js';

export interface ServerOptions {
  /** SSE heartbeat period. @default 15000 */
  readonly heartbeatMs?: number;
  /** Where the pino log goes (embedding, tests that read it). @default stdout */
  readonly logStream?: DestinationStream;
  /** First-run setup (POST /auth/setup) accepts this token while there are no users; without one it refuses. */
  readonly setupToken?: SetupToken;
}

/** Never logged, whatever a future serializer includes. */
const REDACT = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
  'headers.authorization', 'headers.cookie', 'password', '*.password', 'key', '*.key', 'token', '*.token',
];

const tooDeepBody = () => new ItwError('bad_request', tooDeepMessage('the JSON body'), { details: { errors: [{ in: 'body', path: '', message: tooDeepMessage('the JSON body') }] } });

/** Builds the HTTP API over an app (store + engine); listening is the caller's business. */
export async function buildServer(app: App, config: Config, opts: ServerOptions = {}): Promise<Api> {
  const f = Fastify({
    logger: {
      level: config.logLevel, redact: { paths: REDACT, censor: REDACTED }, serializers: { req: serializeRequest },
      stream: redactingStream(app.redactor, opts.logStream),
    },
    // One info line per request was most of an idle server's log: opt in, or get them at debug.
    // Each request's child logger is built when the request first logs, not for every request.
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    logController: new LogController({ disableRequestLogging: !(config.logRequests || config.logLevel === 'debug' || config.logLevel === 'trace') }),
    bodyLimit: config.bodyLimitBytes,
    // Ids in the URL are opaque strings; `/automation/workflows/` and `/automation/workflows` are one route.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const hub = new EventHub(app.engine);
  const metrics = new PromMetrics(app.repos.executions, app.availability);
  hub.subscribe((events) => {
    for (const e of events) {
      metrics.observe(e);
      logEngineEvent(f.log, e);
    }
  });
  const deps: ApiDeps = {
    app, config, hub, metrics,
    keyCache: new ApiKeyCache(app.repos.apiKeys, (err) => f.log.warn({ err }, 'could not record API key use')),
    loginThrottle: new LoginThrottle(config.loginMaxFailures, config.loginMaxFailuresPerIp),
    hashGate: new HashGate(config.loginMaxConcurrentHashes),
    streamLimits: new StreamLimits(config.sseMaxStreamsPerCaller, config.sseMaxStreams),
    heartbeatMs: opts.heartbeatMs ?? 15_000,
  };

  installValidators(f);
  installErrorHandling(f, { report: (err) => app.availability.report(err), retryAfterSeconds: Math.max(1, Math.ceil(config.databaseProbeMs / 1000)) });
  // One line per change of the database's state, not a stack per failed request.
  const offDatabase = app.availability.onChange((c) => {
    if (c.status === 'available') f.log.info({ database: c.status, down_ms: c.afterMs }, 'database available again');
    else f.log.warn({ database: c.status, previous: c.previous, reason: c.reason }, c.status === 'full' ? 'database full: writes fail with 507' : 'database unavailable: answering 503');
  });
  f.addHook('onClose', (_f, done) => { offDatabase(); done(); });
  await f.register(cookie);
  f.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // `curl -X POST -H 'content-type: application/json' .../activate` sends no body: that is no body, not bad JSON.
  const json = f.getDefaultJsonParser('error', 'error');
  f.removeContentTypeParser('application/json');
  // Too deep is refused before parsing: nothing downstream (schema check, redactor, store) has to survive 400k levels.
  f.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    if (jsonTextTooDeep(body as string)) return done(tooDeepBody(), undefined);
    return json(req, body as string, done);
  });
  installAuth(f, deps);
  recordMutations(f, new AuditLog(app.store.db, () => app.store.settleEffects()));
  await registerOpenApi(f, config);

  for (const routes of [
    systemRoutes, authRoutes, adminRoutes, workflowRoutes, nodeRoutes, edgeRoutes, versionRoutes, transferRoutes, executionRoutes,
    eventRoutes, triggerRoutes, triggerIngressRoutes, templateRoutes, actionRoutes, metricsRoutes, utilityRoutes,
    auditRoutes, credentialRoutes, hostRoutes, approvalRoutes, incidentRoutes, incidentActionRoutes, alertRoutes, escalationPolicyRoutes, slackRoutes,
  ]) {
    routes(f, deps);
  }
  setupRoutes(f, deps, opts.setupToken);
  // The web UI at `/` (public static files; its API calls need the session like any other client).
  await registerUi(f, deps);

  // Streams never end on their own: end them first, or close() would wait for every dashboard tab.
  f.addHook('preClose', (done) => {
    hub.closeStreams();
    done();
  });
  f.addHook('onClose', (_instance, done) => {
    hub.stop();
    done();
  });
  await f.ready();
  return f;
}
