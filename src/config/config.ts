import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every ITW_* environment variable is read here and nowhere else. */
export interface Config {
  /** ITW_DATA_DIR: where the embedded SQLite database and key files live. @default ~/.itw */
  readonly dataDir: string;
  /** ITW_DATABASE_URL: `postgres://...` switches the store to PostgreSQL. @default undefined (SQLite in dataDir) */
  readonly databaseUrl: string | undefined;
  /** ITW_LOG_LEVEL: pino level for the server and CLI logs. @default 'info' */
  readonly logLevel: string;
  /** ITW_LEASE_MS: how long a running step's lease lasts before another worker may take it over. @default 60000 */
  readonly leaseMs: number;
  /** ITW_MAX_CONCURRENT_STEPS: step handlers (HTTP calls, actions) running at once in one process. @default 256 */
  readonly maxConcurrentSteps: number;
  /** ITW_DATABASE_SCHEMA: PostgreSQL schema holding the tables, created if missing. @default undefined (the server's search_path, normally public) */
  readonly databaseSchema: string | undefined;
  /** ITW_QUEUE_SCHEMA: PostgreSQL schema of graphile-worker's job tables in cluster mode. @default 'graphile_worker' */
  readonly queueSchema: string;
  /** ITW_WORKER_CONCURRENCY: jobs (steps, wake-ups) one `itw worker` runs at once; `--concurrency` overrides. @default 32 */
  readonly workerConcurrency: number;
  /** ITW_HEARTBEAT_MS: how often cluster processes write their heartbeat. @default 2000 */
  readonly heartbeatMs: number;
  /** ITW_DEAD_AFTER_MS: a cluster process silent this long is dead and its jobs go to other workers. @default 10000 */
  readonly deadAfterMs: number;
  /** ITW_HOST: interface `itw serve` listens on; loopback unless said otherwise. @default '127.0.0.1' */
  readonly host: string;
  /** ITW_PORT: TCP port of `itw serve` (0 picks a free one). @default 8023 */
  readonly port: number;
  /** ITW_TEMPLATES_DIR: JSON/YAML workflow templates loaded into the store at start. @default <repo>/templates */
  readonly templatesDir: string;
  /** ITW_UI_DIR: the built web UI (`npm run build` writes it) that `itw serve` serves at `/`. @default <repo>/ui/dist */
  readonly uiDir: string;
  /** ITW_BODY_LIMIT_BYTES: largest request body the API accepts; bigger ones get 413. @default 1048576 */
  readonly bodyLimitBytes: number;
  /** ITW_METRICS_TOKEN: bearer token that may read /metrics without an API key. @default undefined (API keys only) */
  readonly metricsToken: string | undefined;
  /** ITW_SESSION_TTL_MINUTES: lifetime of a login session cookie. @default 720 */
  readonly sessionTtlMinutes: number;
  /** ITW_COOKIE_SECURE: mark the session cookie `Secure` (set it when served over HTTPS). @default false */
  readonly cookieSecure: boolean;
  /** ITW_LOGIN_MAX_FAILURES: failed logins per username and IP per minute before 429. @default 5 */
  readonly loginMaxFailures: number;
  /** ITW_SHUTDOWN_GRACE_MS: how long SIGTERM waits for in-flight requests before closing anyway. @default 10000 */
  readonly shutdownGraceMs: number;
  /** ITW_ENCRYPTION_KEY: credentials vault key, 32 bytes as base64 or hex. @default a key file `<dataDir>/encryption.key` (0600) */
  readonly encryptionKey: string | undefined;
  /** ITW_MAX_OUTPUT_BYTES: largest node output stored, as JSON; bigger ones fail the node. @default 1048576 */
  readonly maxOutputBytes: number;
  /** ITW_RETENTION_DAYS: finished executions older than this are pruned hourly; 0 keeps them forever. @default 30 */
  readonly retentionDays: number;
  /** ITW_EGRESS_GUARD: refuse outbound HTTP to private, loopback and link-local addresses (SSRF). @default on when NODE_ENV=production */
  readonly egressGuard: boolean;
  /** ITW_EGRESS_ALLOW: comma-separated hosts, addresses or CIDR ranges the guard lets through. @default none */
  readonly egressAllow: readonly string[];
  /** ITW_RESTART_ALLOWED_SERVICES: comma-separated services restart_service may touch; empty refuses all. @default none */
  readonly restartAllowedServices: readonly string[];
  /** ITW_TRIGGER_RESYNC_MS: how often a server re-reads which triggers should run (activations made on other servers); 0 = only at start and on this server's changes. @default 30000 */
  readonly triggerResyncMs: number;
  /** ITW_TRIGGER_RETRY_INITIAL_MS: first restart delay of a trigger whose source failed (broker down, mailbox unreachable); doubles per failure. @default 1000 */
  readonly triggerRetryInitialMs: number;
  /** ITW_TRIGGER_RETRY_MAX_MS: longest restart delay of a failed trigger source. @default 60000 */
  readonly triggerRetryMaxMs: number;
  /** ITW_SMTP_TRIGGER_HOST: interface the email trigger's SMTP listener binds. @default '127.0.0.1' */
  readonly smtpTriggerHost: string;
  /** ITW_SMTP_TRIGGER_PORT: port of the email trigger's SMTP listener, open while an smtp-mode email trigger is active (0 picks a free one). @default 2525 */
  readonly smtpTriggerPort: number;
  /** ITW_MQTT_URL: broker of MQTT event triggers that name none. @default 'mqtt://127.0.0.1:1883' */
  readonly mqttUrl: string;
  /** ITW_NATS_URL: server of NATS event triggers that name none. @default 'nats://127.0.0.1:4222' */
  readonly natsUrl: string;
  /** ITW_AMQP_URL: broker of AMQP event triggers that name none. @default 'amqp://guest:guest@127.0.0.1:5672' */
  readonly amqpUrl: string;
  /** ITW_APPROVAL_LINK_SECRET: HMAC key of signed approval links; set the same on every server sharing a database. @default a key file `<dataDir>/approval-link.key` (0600) */
  readonly approvalLinkSecret: string | undefined;
  /** ITW_DATABASE_PROBE_MS: while the database is down or full, how often it is probed (and the Retry-After the API sends, rounded up to seconds). @default 1000 */
  readonly databaseProbeMs: number;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function listFrom(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function boolFrom(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** The repository root (the folder of our package.json), found from this file in src/ or dist/src/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'itechsmart-workflow') return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    dataDir: overrides.dataDir ?? env['ITW_DATA_DIR'] ?? join(homedir(), '.itw'),
    databaseUrl: overrides.databaseUrl ?? (env['ITW_DATABASE_URL'] || undefined),
    logLevel: overrides.logLevel ?? env['ITW_LOG_LEVEL'] ?? 'info',
    leaseMs: overrides.leaseMs ?? intFrom(env, 'ITW_LEASE_MS', 60_000),
    maxConcurrentSteps: overrides.maxConcurrentSteps ?? intFrom(env, 'ITW_MAX_CONCURRENT_STEPS', 256),
    databaseSchema: overrides.databaseSchema ?? (env['ITW_DATABASE_SCHEMA'] || undefined),
    queueSchema: overrides.queueSchema ?? (env['ITW_QUEUE_SCHEMA'] || 'graphile_worker'),
    workerConcurrency: overrides.workerConcurrency ?? intFrom(env, 'ITW_WORKER_CONCURRENCY', 32),
    heartbeatMs: overrides.heartbeatMs ?? intFrom(env, 'ITW_HEARTBEAT_MS', 2000),
    deadAfterMs: overrides.deadAfterMs ?? intFrom(env, 'ITW_DEAD_AFTER_MS', 10_000),
    host: overrides.host ?? (env['ITW_HOST'] || '127.0.0.1'),
    port: overrides.port ?? intFrom(env, 'ITW_PORT', 8023, 0),
    templatesDir: overrides.templatesDir ?? (env['ITW_TEMPLATES_DIR'] || join(repoRoot(), 'templates')),
    uiDir: overrides.uiDir ?? (env['ITW_UI_DIR'] || join(repoRoot(), 'ui', 'dist')),
    bodyLimitBytes: overrides.bodyLimitBytes ?? intFrom(env, 'ITW_BODY_LIMIT_BYTES', 1_048_576),
    metricsToken: overrides.metricsToken ?? (env['ITW_METRICS_TOKEN'] || undefined),
    sessionTtlMinutes: overrides.sessionTtlMinutes ?? intFrom(env, 'ITW_SESSION_TTL_MINUTES', 720),
    cookieSecure: overrides.cookieSecure ?? boolFrom(env, 'ITW_COOKIE_SECURE', false),
    loginMaxFailures: overrides.loginMaxFailures ?? intFrom(env, 'ITW_LOGIN_MAX_FAILURES', 5),
    shutdownGraceMs: overrides.shutdownGraceMs ?? intFrom(env, 'ITW_SHUTDOWN_GRACE_MS', 10_000, 0),
    encryptionKey: overrides.encryptionKey ?? (env['ITW_ENCRYPTION_KEY'] || undefined),
    maxOutputBytes: overrides.maxOutputBytes ?? intFrom(env, 'ITW_MAX_OUTPUT_BYTES', 1_048_576),
    retentionDays: overrides.retentionDays ?? intFrom(env, 'ITW_RETENTION_DAYS', 30, 0),
    egressGuard: overrides.egressGuard ?? boolFrom(env, 'ITW_EGRESS_GUARD', env['NODE_ENV'] === 'production'),
    egressAllow: overrides.egressAllow ?? listFrom(env, 'ITW_EGRESS_ALLOW'),
    restartAllowedServices: overrides.restartAllowedServices ?? listFrom(env, 'ITW_RESTART_ALLOWED_SERVICES'),
    triggerResyncMs: overrides.triggerResyncMs ?? intFrom(env, 'ITW_TRIGGER_RESYNC_MS', 30_000, 0),
    triggerRetryInitialMs: overrides.triggerRetryInitialMs ?? intFrom(env, 'ITW_TRIGGER_RETRY_INITIAL_MS', 1000),
    triggerRetryMaxMs: overrides.triggerRetryMaxMs ?? intFrom(env, 'ITW_TRIGGER_RETRY_MAX_MS', 60_000),
    smtpTriggerHost: overrides.smtpTriggerHost ?? (env['ITW_SMTP_TRIGGER_HOST'] || '127.0.0.1'),
    smtpTriggerPort: overrides.smtpTriggerPort ?? intFrom(env, 'ITW_SMTP_TRIGGER_PORT', 2525, 0),
    mqttUrl: overrides.mqttUrl ?? (env['ITW_MQTT_URL'] || 'mqtt://127.0.0.1:1883'),
    natsUrl: overrides.natsUrl ?? (env['ITW_NATS_URL'] || 'nats://127.0.0.1:4222'),
    amqpUrl: overrides.amqpUrl ?? (env['ITW_AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:5672'),
    approvalLinkSecret: overrides.approvalLinkSecret ?? (env['ITW_APPROVAL_LINK_SECRET'] || undefined),
    databaseProbeMs: overrides.databaseProbeMs ?? intFrom(env, 'ITW_DATABASE_PROBE_MS', 1000),
  };
}
