import type {} from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { App } from '../app.js';
import type { Config } from '../config/config.js';
import type { Role } from '../model/roles.js';
import type { ApiKeyCache } from './auth/api-key-cache.js';
import type { Principal } from './auth/principal.js';
import type { HashGate } from './auth/hash-gate.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { StreamLimits } from './sse/stream-limits.js';
import type { PromMetrics } from './observability/prom-metrics.js';
import type { EventHub } from './sse/event-hub.js';

/** The Fastify instance every route file receives: TypeBox schemas type the handlers. */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export type { Principal };

/** What route files need besides the Fastify instance. */
export interface ApiDeps {
  readonly app: App;
  readonly config: Config;
  readonly hub: EventHub;
  readonly metrics: PromMetrics;
  readonly keyCache: ApiKeyCache;
  readonly loginThrottle: LoginThrottle;
  /** Caps concurrent password hashing (logins). */
  readonly hashGate: HashGate;
  /** Caps open SSE streams per caller and in total. */
  readonly streamLimits: StreamLimits;
  /** SSE heartbeat period. */
  readonly heartbeatMs: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The weakest role allowed on the route. */
    minRole?: Role;
    /** Reachable without credentials (health, docs). */
    public?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}
