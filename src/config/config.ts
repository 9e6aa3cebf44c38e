import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ItwError } from '../model/errors.js';

/** Every ITW_* environment variable is read here and nowhere else. */
export interface Config {
  /** ITW_DATA_DIR: where the embedded SQLite database and key files live. @default ~/.itw */
  readonly dataDir: string;
  /** ITW_DATABASE_URL: `postgres://...` switches the store to PostgreSQL. @default undefined (SQLite in dataDir) */
  readonly databaseUrl: string | undefined;
  /** ITW_LOG_LEVEL: pino level for the server and CLI logs. @default 'info' */
  readonly logLevel: string;
  /** ITW_LOG_REQUESTS: log one line per HTTP request (always on at ITW_LOG_LEVEL debug or trace). @default false */
  readonly logRequests: boolean;
  /** ITW_LOG_FORMAT: `pretty` readable lines, `json` one JSON object per line, `auto` pretty on a terminal and JSON otherwise. @default 'auto' */
  readonly logFormat: 'auto' | 'pretty' | 'json';
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
  /** ITW_LOGIN_MAX_FAILURES_PER_IP: failed logins per IP per minute, whatever the usernames, before 429. @default 20 */
  readonly loginMaxFailuresPerIp: number;
  /** ITW_LOGIN_MAX_CONCURRENT_HASHES: password hashes (argon2id, 64 MiB each) running at once; a short queue waits, more get 429. @default 2 */
  readonly loginMaxConcurrentHashes: number;
  /** ITW_SSE_MAX_STREAMS_PER_CALLER: live event streams one API key or user may hold open; more get 429. @default 20 */
  readonly sseMaxStreamsPerCaller: number;
  /** ITW_SSE_MAX_STREAMS: live event streams the server holds open in total; more get 429. @default 1000 */
  readonly sseMaxStreams: number;
  /** ITW_SHUTDOWN_GRACE_MS: how long SIGTERM waits for in-flight requests before closing anyway. @default 10000 */
  readonly shutdownGraceMs: number;
  /** ITW_ENCRYPTION_KEY: credentials vault key, 32 bytes as base64 or hex. @default a key file `<dataDir>/encryption.key` (0600) */
  readonly encryptionKey: string | undefined;
  /** ITW_MAX_OUTPUT_BYTES: largest node output stored, as JSON; bigger ones fail the node. @default 1048576 */
  readonly maxOutputBytes: number;
  /** ITW_MAX_WORKFLOW_DEPTH: how deep `run_workflow` steps may nest executions (a top-level one is depth 0). @default 10 */
  readonly maxWorkflowDepth: number;
  /** ITW_RETENTION_DAYS: finished executions older than this are pruned hourly; 0 keeps them forever. @default 30 */
  readonly retentionDays: number;
  /** ITW_AUDIT_RETENTION_DAYS: audit entries older than this are pruned hourly; 0 keeps them forever. @default 365 */
  readonly auditRetentionDays: number;
  /** ITW_EGRESS_GUARD: refuse workflow connections (HTTP, databases, SSH, SMTP) to loopback, private, link-local and other special-purpose addresses (SSRF). @default on */
  readonly egressGuard: boolean;
  /** ITW_EGRESS_ALLOW: comma-separated hosts (`*.corp.example` wildcards), addresses or CIDR ranges the guard lets through. @default none */
  readonly egressAllow: readonly string[];
  /** ITW_RESTART_ALLOWED_SERVICES: comma-separated services restart_service may touch; empty refuses all. @default none */
  readonly restartAllowedServices: readonly string[];
  /** ITW_RESTART_COMMANDS: JSON object service → argv that restart_service `method: command` runs for it (`{"worker":["supervisorctl","restart","worker"]}`); a service without one cannot be restarted by command. @default {} */
  readonly restartCommands: Readonly<Record<string, readonly string[]>>;
  /** ITW_DOCKER_SOCKETS: comma-separated absolute paths of Docker Engine unix sockets docker_restart/docker_logs may use (`/var/run/docker.sock`); the socket is root on the host, so none is allowed unless listed. @default none */
  readonly dockerSockets: readonly string[];
  /** ITW_ESCALATION_SLACK_CREDENTIAL: id of the slack credential escalation pages Slack targets with when they name none. @default none */
  readonly escalationSlackCredential: string | undefined;
  /** ITW_SLACK_CREDENTIAL: id or name of the slack credential ChatOps uses (bot_token to post approvals, signing_secret to verify /slack/interactions and /slack/commands, base_url). @default none: ChatOps is off */
  readonly slackCredential: string | undefined;
  /** ITW_SLACK_SYNC_MS: how often ChatOps looks for approval messages still owed to Slack (a post or rewrite that failed, or that a crash cut short) and the first retry's delay, doubling per failure up to 10 minutes. @default 15000 */
  readonly slackSyncMs: number;
  /** ITW_SLACK_TIMEOUT_MS: longest a ChatOps call to Slack may take; a call cut short by a crash is retried by any process 1.5 times this long after it started. @default 30000 */
  readonly slackTimeoutMs: number;
  /** ITW_ESCALATION_SMTP_CREDENTIAL: id of the smtp credential escalation pages e-mail and user targets with when they name none. @default none */
  readonly escalationSmtpCredential: string | undefined;
  /** ITW_ESCALATION_TWILIO_CREDENTIAL: id of the twilio credential escalation pages SMS targets with when they name none. @default none */
  readonly escalationTwilioCredential: string | undefined;
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
  /** ITW_PUBLIC_URL: the address people reach this server at (`https://itw.example.com`); signed approval links are built on it, never on a request's Host header. @default http://<ITW_HOST>:<ITW_PORT> */
  readonly publicUrl: string;
  /** ITW_APPROVAL_LINK_SECRET: HMAC key of signed approval links; set the same on every server sharing a database. @default a key file `<dataDir>/approval-link.key` (0600) */
  readonly approvalLinkSecret: string | undefined;
  /** ITW_UNSANDBOXED_STEPS: let script nodes, run_script, local commands, deploy/test commands run without the sandbox where it cannot be set up (bubblewrap missing, no user namespaces); logged as a warning at start. @default false (such steps fail with sandbox_unavailable) */
  readonly unsandboxedSteps: boolean;
  /** ITW_SCRIPT_NETWORK: `guarded` = a sandboxed step that asks for network (allow_network) gets the host network only while the egress guard is off, else fails with egress_unenforceable; `host` = it gets the host network anyway, past the egress guard. @default 'guarded' */
  readonly scriptNetwork: 'guarded' | 'host';
  /** ITW_SANDBOX_PATHS: comma-separated host directories sandboxed steps see read-write (as the unprivileged sandbox user): working dirs of commands and test runs. The data dir is never visible. @default none */
  readonly sandboxPaths: readonly string[];
  /** ITW_DATABASE_PROBE_MS: while the database is down or full, how often it is probed (and the Retry-After the API sends, rounded up to seconds). @default 1000 */
  readonly databaseProbeMs: number;
  /** ITW_INCIDENT_SYNC_LEASE_MS: how long a process owns an acknowledge/resolve it is sending to PagerDuty/Opsgenie/ServiceNow; a process killed mid-send leaves it to be sent again after this. @default 120000 */
  readonly incidentSyncLeaseMs: number;
}

/** Env vars holding secrets: dropped from process.env once read, so nothing started later inherits them. */
const SECRET_ENV = ['ITW_ENCRYPTION_KEY', 'ITW_APPROVAL_LINK_SECRET', 'ITW_DATABASE_URL', 'ITW_METRICS_TOKEN'] as const;

function networkFrom(env: NodeJS.ProcessEnv): 'guarded' | 'host' {
  const raw = env['ITW_SCRIPT_NETWORK']?.trim().toLowerCase() || 'guarded';
  if (raw !== 'guarded' && raw !== 'host') throw new Error(`ITW_SCRIPT_NETWORK must be guarded or host, got "${raw}"`);
  return raw;
}

function logFormatFrom(env: NodeJS.ProcessEnv): 'auto' | 'pretty' | 'json' {
  const raw = env['ITW_LOG_FORMAT']?.trim().toLowerCase() || 'auto';
  if (raw !== 'auto' && raw !== 'pretty' && raw !== 'json') throw new Error(`ITW_LOG_FORMAT must be auto, pretty or json, got "${raw}"`);
  return raw;
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

function argvMapFrom(env: NodeJS.ProcessEnv, name: string): Record<string, string[]> {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be a JSON object of argv arrays, got "${raw}"`);
  }
  const ok = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every(ok)) {
    throw new Error(`${name} must be a JSON object mapping each service to a non-empty argv array of strings`);
  }
  return parsed as Record<string, string[]>;
}

function publicUrlFrom(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ITW_PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ITW_PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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

/**
 * The configuration from `env` (the process environment by default). When read from the process
 * environment, the secrets in it are deleted from it afterwards: the config holds them from then on.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  let config: Config;
  try {
    config = readConfig(env, overrides);
  } catch (err) {
    // A bad setting is the user's to fix: a coded error the CLI prints as one line, not a stack.
    throw new ItwError('config_invalid', err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (env === process.env) for (const name of SECRET_ENV) delete process.env[name];
  return config;
}

function readConfig(env: NodeJS.ProcessEnv, overrides: Partial<Config>): Config {
  const host = overrides.host ?? (env['ITW_HOST'] || '127.0.0.1');
  const port = overrides.port ?? intFrom(env, 'ITW_PORT', 8023, 0);
  return {
    dataDir: overrides.dataDir ?? env['ITW_DATA_DIR'] ?? join(homedir(), '.itw'),
    databaseUrl: overrides.databaseUrl ?? (env['ITW_DATABASE_URL'] || undefined),
    logLevel: overrides.logLevel ?? env['ITW_LOG_LEVEL'] ?? 'info',
    logRequests: overrides.logRequests ?? boolFrom(env, 'ITW_LOG_REQUESTS', false),
    logFormat: overrides.logFormat ?? logFormatFrom(env),
    leaseMs: overrides.leaseMs ?? intFrom(env, 'ITW_LEASE_MS', 60_000),
    maxConcurrentSteps: overrides.maxConcurrentSteps ?? intFrom(env, 'ITW_MAX_CONCURRENT_STEPS', 256),
    databaseSchema: overrides.databaseSchema ?? (env['ITW_DATABASE_SCHEMA'] || undefined),
    queueSchema: overrides.queueSchema ?? (env['ITW_QUEUE_SCHEMA'] || 'graphile_worker'),
    workerConcurrency: overrides.workerConcurrency ?? intFrom(env, 'ITW_WORKER_CONCURRENCY', 32),
    heartbeatMs: overrides.heartbeatMs ?? intFrom(env, 'ITW_HEARTBEAT_MS', 2000),
    deadAfterMs: overrides.deadAfterMs ?? intFrom(env, 'ITW_DEAD_AFTER_MS', 10_000),
    host,
    port,
    templatesDir: overrides.templatesDir ?? (env['ITW_TEMPLATES_DIR'] || join(repoRoot(), 'templates')),
    uiDir: overrides.uiDir ?? (env['ITW_UI_DIR'] || join(repoRoot(), 'ui', 'dist')),
    bodyLimitBytes: overrides.bodyLimitBytes ?? intFrom(env, 'ITW_BODY_LIMIT_BYTES', 1_048_576),
    metricsToken: overrides.metricsToken ?? (env['ITW_METRICS_TOKEN'] || undefined),
    sessionTtlMinutes: overrides.sessionTtlMinutes ?? intFrom(env, 'ITW_SESSION_TTL_MINUTES', 720),
    cookieSecure: overrides.cookieSecure ?? boolFrom(env, 'ITW_COOKIE_SECURE', false),
    loginMaxFailures: overrides.loginMaxFailures ?? intFrom(env, 'ITW_LOGIN_MAX_FAILURES', 5),
    loginMaxFailuresPerIp: overrides.loginMaxFailuresPerIp ?? intFrom(env, 'ITW_LOGIN_MAX_FAILURES_PER_IP', 20),
    loginMaxConcurrentHashes: overrides.loginMaxConcurrentHashes ?? intFrom(env, 'ITW_LOGIN_MAX_CONCURRENT_HASHES', 2),
    sseMaxStreamsPerCaller: overrides.sseMaxStreamsPerCaller ?? intFrom(env, 'ITW_SSE_MAX_STREAMS_PER_CALLER', 20),
    sseMaxStreams: overrides.sseMaxStreams ?? intFrom(env, 'ITW_SSE_MAX_STREAMS', 1000),
    shutdownGraceMs: overrides.shutdownGraceMs ?? intFrom(env, 'ITW_SHUTDOWN_GRACE_MS', 10_000, 0),
    encryptionKey: overrides.encryptionKey ?? (env['ITW_ENCRYPTION_KEY'] || undefined),
    maxOutputBytes: overrides.maxOutputBytes ?? intFrom(env, 'ITW_MAX_OUTPUT_BYTES', 1_048_576),
    maxWorkflowDepth: overrides.maxWorkflowDepth ?? intFrom(env, 'ITW_MAX_WORKFLOW_DEPTH', 10),
    retentionDays: overrides.retentionDays ?? intFrom(env, 'ITW_RETENTION_DAYS', 30, 0),
    auditRetentionDays: overrides.auditRetentionDays ?? intFrom(env, 'ITW_AUDIT_RETENTION_DAYS', 365, 0),
    egressGuard: overrides.egressGuard ?? boolFrom(env, 'ITW_EGRESS_GUARD', true),
    egressAllow: overrides.egressAllow ?? listFrom(env, 'ITW_EGRESS_ALLOW'),
    restartAllowedServices: overrides.restartAllowedServices ?? listFrom(env, 'ITW_RESTART_ALLOWED_SERVICES'),
    restartCommands: overrides.restartCommands ?? argvMapFrom(env, 'ITW_RESTART_COMMANDS'),
    dockerSockets: overrides.dockerSockets ?? listFrom(env, 'ITW_DOCKER_SOCKETS'),
    escalationSlackCredential: overrides.escalationSlackCredential ?? (env['ITW_ESCALATION_SLACK_CREDENTIAL'] || undefined),
    slackCredential: overrides.slackCredential ?? (env['ITW_SLACK_CREDENTIAL'] || undefined),
    slackSyncMs: overrides.slackSyncMs ?? intFrom(env, 'ITW_SLACK_SYNC_MS', 15_000, 100),
    slackTimeoutMs: overrides.slackTimeoutMs ?? intFrom(env, 'ITW_SLACK_TIMEOUT_MS', 30_000, 100),
    escalationSmtpCredential: overrides.escalationSmtpCredential ?? (env['ITW_ESCALATION_SMTP_CREDENTIAL'] || undefined),
    escalationTwilioCredential: overrides.escalationTwilioCredential ?? (env['ITW_ESCALATION_TWILIO_CREDENTIAL'] || undefined),
    triggerResyncMs: overrides.triggerResyncMs ?? intFrom(env, 'ITW_TRIGGER_RESYNC_MS', 30_000, 0),
    triggerRetryInitialMs: overrides.triggerRetryInitialMs ?? intFrom(env, 'ITW_TRIGGER_RETRY_INITIAL_MS', 1000),
    triggerRetryMaxMs: overrides.triggerRetryMaxMs ?? intFrom(env, 'ITW_TRIGGER_RETRY_MAX_MS', 60_000),
    smtpTriggerHost: overrides.smtpTriggerHost ?? (env['ITW_SMTP_TRIGGER_HOST'] || '127.0.0.1'),
    smtpTriggerPort: overrides.smtpTriggerPort ?? intFrom(env, 'ITW_SMTP_TRIGGER_PORT', 2525, 0),
    mqttUrl: overrides.mqttUrl ?? (env['ITW_MQTT_URL'] || 'mqtt://127.0.0.1:1883'),
    natsUrl: overrides.natsUrl ?? (env['ITW_NATS_URL'] || 'nats://127.0.0.1:4222'),
    amqpUrl: overrides.amqpUrl ?? (env['ITW_AMQP_URL'] || 'amqp://guest:guest@127.0.0.1:5672'),
    publicUrl: publicUrlFrom(overrides.publicUrl ?? (env['ITW_PUBLIC_URL'] || `http://${host.includes(':') ? `[${host}]` : host}:${port}`)),
    approvalLinkSecret: overrides.approvalLinkSecret ?? (env['ITW_APPROVAL_LINK_SECRET'] || undefined),
    unsandboxedSteps: overrides.unsandboxedSteps ?? boolFrom(env, 'ITW_UNSANDBOXED_STEPS', false),
    scriptNetwork: overrides.scriptNetwork ?? networkFrom(env),
    sandboxPaths: overrides.sandboxPaths ?? listFrom(env, 'ITW_SANDBOX_PATHS'),
    databaseProbeMs: overrides.databaseProbeMs ?? intFrom(env, 'ITW_DATABASE_PROBE_MS', 1000),
    incidentSyncLeaseMs: overrides.incidentSyncLeaseMs ?? intFrom(env, 'ITW_INCIDENT_SYNC_LEASE_MS', 120_000),
  };
}

/** Where `itw pull/diff/push` (workflows as code, docs/GITOPS.md) send their requests. */
export interface RemoteServerConfig {
  /** ITW_URL: the server's base URL. @default http://127.0.0.1:8023 */
  readonly url: string;
  /** ITW_API_KEY: the API key sent as a bearer token (viewer to pull and diff, editor to push). @default none */
  readonly apiKey: string | undefined;
}

export function loadRemoteServerConfig(env: NodeJS.ProcessEnv = process.env): RemoteServerConfig {
  const raw = env['ITW_URL'] || 'http://127.0.0.1:8023';
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new ItwError('config_invalid', `ITW_URL must be an http(s) URL, got "${raw}"`);
  }
  return { url: raw.replace(/\/+$/, ''), apiKey: env['ITW_API_KEY'] || undefined };
}
