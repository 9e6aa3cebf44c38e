import type { DestinationStream } from 'pino';
import type { Clock } from './engine/clock.js';
import { appLogger } from './app-logger.js';
import type { Logger } from './model/logger.js';
import { builtinActions } from './actions/catalog.js';
import type { ActionCatalog } from './actions/define-action.js';
import { Engine } from './engine/engine.js';
import { ClusterDispatcher } from './engine/cluster-dispatcher.js';
import { ExecutionStarter } from './executions/execution-starter.js';
import { SlackApprovalListener } from './chatops/slack-approval-listener.js';
import { SlackApprovalSync } from './chatops/slack-approval-sync.js';
import { SlackChatOps } from './chatops/slack-chatops.js';
import type { Config } from './config/config.js';
import type { Catalog } from './model/node-spec.js';
import { createNodeRegistry } from './nodes/registry.js';
import { NO_CHILDREN, type ChildStarter } from './nodes/run-workflow.js';
import { SubWorkflows } from './executions/sub-workflows.js';
import { NODE_TYPE_SPECS } from './nodes/specs.js';
import { openStore, type Store } from './store/connect.js';
import { DatabaseAvailability } from './store/availability.js';
import { CredentialVault } from './store/credentials/credential-vault.js';
import { loadEncryptionKey } from './store/credentials/encryption-key.js';
import { sealStoredSecrets } from './store/credentials/seal-stored-secrets.js';
import { SecretStore } from './store/credentials/secret-store.js';
import { lockDataDir, type DataDirLock } from './store/data-dir-lock.js';
import { pruneFinishedExecutions } from './store/execution-retention.js';
import { pruneAuditLog } from './store/audit-retention.js';
import { Redactor } from './engine/redactor.js';
import { providerSender } from './actions/incident/provider-sender.js';
import { ActionNotifier } from './adapters/action-notifier.js';
import { userContactFrom } from './adapters/user-contact.js';
import { EscalationScheduler } from './incidents/escalation-scheduler.js';
import { ProviderSync } from './incidents/provider-sync.js';
import { IncidentService } from './incidents/incident-service.js';
import { EgressGuard } from './actions/http/egress-guard.js';
import { stepSandbox } from './actions/process/sandbox-policy.js';
import { sandboxStartupWarning } from './actions/process/sandbox-startup.js';
import { recordRefusal } from './store/egress-audit.js';
import { AuditLog } from './store/audit-log.js';
import { KyselyDeploymentLedger } from './store/kysely-deployment-ledger.js';
import { KyselyFleetLedger } from './store/kysely-fleet-ledger.js';
import { ServiceAllowList } from './actions/infrastructure/service-allow-list.js';
import { DockerSocketAllowList } from './actions/containers/docker-socket-allow-list.js';
import { systemClock } from './engine/clock.js';
import { createRepositories, type Repositories } from './store/repositories.js';
import { loadTemplateFiles } from './store/template-files.js';
import { builtinSources } from './triggers/builtin-sources.js';
import { TriggerManager, type Leadership } from './triggers/trigger-manager.js';
import { LeaderElection } from './cluster/leader.js';
import { NO_EVENTS, type EventEmitterPort } from './actions/events/event-emitter-port.js';
import type { ActionServices } from './actions/define-action.js';
import { prepareCluster, startClusterNode, type ProcessRole } from './cluster/cluster-node.js';

export interface App {
  readonly store: Store;
  readonly engine: Engine;
  /** The one way executions start (API, CLI, triggers): versions cached, idempotency decided. */
  readonly starter: ExecutionStarter;
  /** Starts run_workflow children and answers their waiting parents (executions/sub-workflows.ts). */
  readonly subWorkflows: SubWorkflows;
  readonly actions: ActionCatalog;
  /** What validation checks definitions against. */
  readonly catalog: Catalog;
  /** Users, keys, sessions, triggers, templates, listings and metrics (the API's side of the store). */
  readonly repos: Repositories;
  /** Template files that could not be loaded at start (the server logs them). */
  readonly templateProblems: ReadonlyArray<{ file: string; path: string; message: string }>;
  /** Set when the sandbox for host-side steps cannot be set up here: log it at start (sandbox-startup.ts). */
  readonly sandboxWarning: string | undefined;
  /** Typed, encrypted credentials; steps resolve them by id. */
  readonly vault: CredentialVault;
  /** Non-credential secrets (trigger secrets, secret variables), by reference. */
  readonly secrets: SecretStore;
  /** The one redaction layer: every secret the vault opened, replaced before anything is stored, sent or logged. */
  readonly redactor: Redactor;
  /** Alerts with dedup, incidents and durable escalation. */
  readonly incidents: IncidentService;
  /** The triggers of active workflows: sources started, HTTP ingress routed, status kept. */
  readonly triggers: TriggerManager;
  /** The database's health as this process sees it: the API, /health, metrics and triggers read it. */
  readonly availability: DatabaseAvailability;
  /** The server's structured log (pino unless the embedder passed one); secrets redacted. */
  readonly logger: Logger;
  /** The server's Slack app for ChatOps (ITW_SLACK_CREDENTIAL); `enabled` false without one. */
  readonly slack: SlackChatOps;
  /** Stops the engine (steps in flight get `graceMs` to finish) and closes the store. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** What validation needs from the node types and actions; no store or engine required. */
export function validationCatalog(actions: ActionCatalog = builtinActions()): Catalog {
  return { nodeTypes: NODE_TYPE_SPECS, actions: new Map([...actions].map(([id, a]) => [id, { id, params: a.params, ...(a.codeParams ? { codeParams: a.codeParams } : {}) }])) };
}

export interface CreateAppOptions {
  readonly clock?: Clock;
  /** PostgreSQL schema holding every table (tests isolate themselves with it). */
  readonly schema?: string;
  /** Actions added to (or replacing, by id) the built-in catalogue: embedding and tests. */
  readonly actions?: ActionCatalog;
  /** Start the triggers of active workflows (off for one-shot CLI runs). @default true */
  readonly triggers?: boolean;
  /** What this process is in a deployment (cluster/cluster-node.ts). @default 'standalone' */
  readonly role?: ProcessRole;
  /** The server's log (engine, triggers, incidents, step log lines). @default pino at config.logLevel through the redactor */
  readonly logger?: Logger;
  /** Where the default logger writes. @default stdout */
  readonly logStream?: DestinationStream;
}

/** The composition root: the only place implementations are wired together. */
export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<App> {
  const schema = opts.schema ?? config.databaseSchema;
  const redactor = new Redactor();
  const logger = opts.logger ?? appLogger(config.logLevel, redactor, opts.logStream);
  const store = await openStore({
    dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(schema ? { schema } : {}),
    logger: logger.child({ component: 'store' }),
  });
  const actions: ActionCatalog = new Map([...builtinActions(), ...(opts.actions ?? [])]);
  const repos = createRepositories(store);
  let templateProblems: App['templateProblems'];
  try {
    const loaded = await loadTemplateFiles(config.templatesDir);
    await repos.templates.syncBuiltins(loaded.templates);
    templateProblems = loaded.problems;
  } catch (err) {
    await store.close();
    throw err;
  }
  const role = opts.role ?? 'standalone';
  const cluster = { queueSchema: opts.schema ? `${opts.schema}_jobs` : config.queueSchema, concurrency: config.workerConcurrency, heartbeatMs: config.heartbeatMs, deadAfterMs: config.deadAfterMs, logger: logger.child({ component: 'cluster' }) };
  let lock: DataDirLock | undefined;
  try {
    await prepareCluster(store, role, cluster, config);
    // Embedded SQLite is one engine process per data dir (store/data-dir-lock.ts says why).
    if (store.dialect === 'sqlite' && !config.databaseUrl) lock = lockDataDir(config.dataDir);
  } catch (err) {
    await store.close();
    throw err;
  }
  const audit = new AuditLog(store.db, () => store.settleEffects());
  const egress = new EgressGuard({ blockPrivate: config.egressGuard, allow: config.egressAllow, onRefusal: (r) => void recordRefusal(audit, r, logger) });
  const sandbox = stepSandbox(
    { dataDir: config.dataDir, unsandboxed: config.unsandboxedSteps, network: config.scriptNetwork, paths: config.sandboxPaths },
    {
      egressGuarded: egress.blockPrivate,
      onRefusal: (r) => {
        // `<execution>:<node>:<scope>:<attempt>`
        const [executionId = null, nodeId = null] = r.step?.split(':') ?? [];
        audit
          .append({ ts: Date.now(), actor: 'engine', action: 'sandbox.refused', resource_type: 'execution', resource_id: executionId, details: { code: r.code, message: r.message, node_id: nodeId } })
          .catch((err: unknown) => logger.error({ err }, 'audit: could not record a sandbox refusal'));
      },
    },
  );
  const sandboxWarning = sandboxStartupWarning(sandbox.policy);
  const encryptionKey = loadEncryptionKey({ fromEnv: config.encryptionKey, dataDir: config.dataDir });
  const vault = new CredentialVault(store.db, encryptionKey, redactor);
  const secrets = new SecretStore(store.db, encryptionKey, redactor);
  store.workflows.sealSecretsWith(secrets);
  repos.triggers.sealSecretsWith(secrets);
  await sealStoredSecrets(store.db, store.workflows, secrets);
  const clock = opts.clock ?? systemClock;
  const availability = new DatabaseAvailability({ probe: () => store.probe(), probeMs: config.databaseProbeMs, logger });
  const incidents = IncidentService.over(store.db, { clock, logger: logger.child({ component: 'incidents' }) });
  // emit_event reaches the trigger manager, which needs the engine, which needs these services: bound once it exists.
  let events: EventEmitterPort = NO_EVENTS;
  const services: ActionServices = {
    egress,
    sandbox,
    serviceControl: new ServiceAllowList(config.restartAllowedServices, config.restartCommands),
    dockerSockets: new DockerSocketAllowList(config.dockerSockets),
    deployments: KyselyDeploymentLedger.over(store.db),
    incidents,
    events: { emitEvent: (name, data, key) => events.emitEvent(name, data, key) },
    logger,
    fleet: { hosts: repos.hosts, ledger: new KyselyFleetLedger(store.db, (v) => redactor.redact(v)) },
  };
  const notifier = new ActionNotifier({
    credentials: vault,
    services,
    defaults: {
      ...(config.escalationSlackCredential ? { slack: config.escalationSlackCredential } : {}),
      ...(config.escalationSmtpCredential ? { smtp: config.escalationSmtpCredential } : {}),
      ...(config.escalationTwilioCredential ? { twilio: config.escalationTwilioCredential } : {}),
    },
    userContact: userContactFrom(repos.users),
  });
  const escalation = EscalationScheduler.over(store.db, incidents, { clock, notifier, logger: logger.child({ component: 'incidents' }) });
  // Cluster roles dispatch through graphile-worker jobs (src/queue); a standalone process runs its own.
  const dispatcher = role !== 'standalone' ? new ClusterDispatcher() : undefined;
  // Acknowledge/resolve of forwarded incidents, queued with the change and sent to the provider from any API process.
  const providerSync = ProviderSync.over(store.db, incidents, { clock, send: providerSender(vault, egress), leaseMs: config.incidentSyncLeaseMs, logger: logger.child({ component: 'incidents' }) });
  // run_workflow starts children through the starter, which needs the engine: bound once both exist.
  let children: ChildStarter = NO_CHILDREN;
  const engine = new Engine({
    store: store.engine,
    registry: createNodeRegistry(actions, services, () => children),
    leaseMs: config.leaseMs,
    maxConcurrentSteps: config.maxConcurrentSteps,
    maxOutputBytes: config.maxOutputBytes,
    credentials: vault,
    secrets,
    redactor,
    // Embedded SQLite is one process by construction: whatever was running belonged to a dead process.
    takeOverLeases: store.dialect === 'sqlite',
    clock,
    ...(dispatcher ? { dispatcher } : {}),
    storeHealth: availability,
    logger,
  });
  // After an outage, executions whose commits failed meanwhile are reloaded from the store.
  availability.onChange((c) => { if (c.status === 'available') engine.reloadStale(); });
  // ChatOps: approvals with a slack_channel are mirrored into Slack (posted, then rewritten with the outcome).
  const slack = new SlackChatOps({ credentialId: config.slackCredential, credentials: vault, egress, timeoutMs: config.slackTimeoutMs });
  const slackSync = new SlackApprovalSync({
    slack, messages: repos.slackMessages, logger, intervalMs: config.slackSyncMs, leaseMs: Math.ceil(config.slackTimeoutMs * 1.5),
    waitingApprovals: () => repos.approvals.listWaiting(),
    workflowName: async (id) => (await repos.workflowQueries.require(id)).name,
  });
  const slackApprovals = new SlackApprovalListener({ sync: slackSync, logger });
  const stopSlackApprovals = slack.enabled ? engine.onEvent(slackApprovals.onEvent) : () => undefined;
  await engine.start();
  // Owed Slack calls (failed, or cut short by a crash) are retried from the rows, in every process.
  if (slack.enabled) slackSync.start();
  // Escalation timers are rows claimed per process: safe in every process that serves the API.
  if (role !== 'worker') escalation.start();
  if (role !== 'worker') providerSync.start();
  const catalog = validationCatalog(actions);
  const starter = new ExecutionStarter({ engine, executions: store.engine, workflows: store.workflows, catalog });
  const subWorkflows = new SubWorkflows({
    engine, starter, executions: store.engine, workflows: store.workflows, db: store.db, maxDepth: config.maxWorkflowDepth,
    logger: logger.child({ component: 'sub-workflows' }),
  });
  children = subWorkflows;
  subWorkflows.attach();
  // Children that ended while no process could answer their parent (a crash between the two commits).
  await subWorkflows.sweep();
  // Singleton sources (IMAP polling, MQTT, file_watch) run on one API process of a cluster.
  const election = role === 'api' && store.postgres ? await electLeader(store.postgres.connectionString, schema, logger.child({ component: 'cluster' })) : undefined;
  const triggers = new TriggerManager({
    ...(election ? { leadership: election.leadership } : {}),
    // A worker takes no outside traffic, but its emit_event steps must reach internal-event triggers.
    ...(role === 'worker' ? { runs: (type: string, config: Record<string, unknown>) => type === 'event' && config['source'] === 'internal' } : {}),
    engine, starter, workflows: store.workflows, triggers: repos.triggers, heldFirings: repos.heldFirings, clock, secrets, database: availability,
    sources: builtinSources({
      incidents,
      brokers: { mqttUrl: config.mqttUrl, natsUrl: config.natsUrl, amqpUrl: config.amqpUrl },
      smtp: { host: config.smtpTriggerHost, port: config.smtpTriggerPort, maxBytes: 25 * 1024 * 1024, logger: logger.child({ component: 'triggers' }) },
    }),
    log: triggerLog(logger.child({ component: 'triggers' })),
    resyncMs: config.triggerResyncMs, retryInitialMs: config.triggerRetryInitialMs, retryMaxMs: config.triggerRetryMaxMs,
  });
  events = triggers;
  if (opts.triggers ?? true) await triggers.start();
  const node = await startClusterNode(store, role, engine.owner, dispatcher, {
    ...cluster, output: engine.output,
  });
  const retention = config.retentionDays > 0 || config.auditRetentionDays > 0
    ? scheduleRetention(store, clock, { executions: config.retentionDays, audit: config.auditRetentionDays }, logger) : undefined;
  return {
    store, engine, starter, subWorkflows, actions, catalog, repos, templateProblems, vault, secrets, redactor, incidents, triggers, sandboxWarning, availability, logger, slack,
    async close(closeOpts = {}) {
      subWorkflows.stop();
      await triggers.stop();
      stopSlackApprovals();
      await slackApprovals.idle();
      await slackSync.stop();
      await election?.stop();
      retention?.stop();
      await escalation.stop();
      await providerSync.stop();
      const drained = node.drain();
      await engine.stop(closeOpts);
      await drained;
      await node.leave();
      availability.close();
      await store.close();
      await egress.close();
      lock?.release();
    },
  };
}

/** Advisory locks are per database, so the key names the schema: two deployments may share one. */
async function electLeader(connectionString: string, schema: string | undefined, logger: Logger): Promise<{ leadership: Leadership; stop(): Promise<void> }> {
  const listeners = new Set<(leader: boolean) => void>();
  const election = await LeaderElection.start({
    connectionString, logger, key: `itw:trigger-singletons:${schema ?? 'public'}`, onChange: (leader) => { for (const l of listeners) l(leader); },
  });
  return {
    leadership: { isLeader: () => election.isLeader, onChange: (l) => { listeners.add(l); return () => void listeners.delete(l); } },
    stop: () => election.stop(),
  };
}

const HOUR_MS = 3_600_000;

/** Prunes finished executions and audit entries older than their horizons (days; 0 keeps), shortly after start and then hourly. */
function scheduleRetention(store: Store, clock: Clock, days: { executions: number; audit: number }, logger: Logger): { stop(): void } {
  let timer: unknown;
  let stopped = false;
  const prune = async () => {
    // An execution that finished just now may be old enough to prune: its rollups first (deferred-effects.ts).
    await store.settleEffects();
    if (days.audit > 0) await pruneAuditLog(store.db, clock.now() - days.audit * 86_400_000, { pace: store.pace });
    if (days.executions > 0) await pruneFinishedExecutions(store.db, clock.now() - days.executions * 86_400_000, { dialect: store.dialect, pace: store.pace });
  };
  const tick = () => {
    prune()
      .catch((err: unknown) => logger.error({ err, component: 'retention' }, 'pruning failed'))
      .finally(() => { if (!stopped) timer = clock.setTimer(tick, HOUR_MS); });
  };
  timer = clock.setTimer(tick, 60_000);
  return { stop: () => { stopped = true; clock.clearTimer(timer); } };
}

/** The trigger manager's log callback, written to the server's log at the level it names. */
function triggerLog(logger: Logger): (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void {
  return (level, message, data) => logger[level](data ?? {}, message);
}
