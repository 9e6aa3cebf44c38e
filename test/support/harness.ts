import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { FakeClock } from '../../src/engine/clock.js';
import type { ExecutionRecord, NodeRunRecord, VersionRecord } from '../../src/engine/store-port.js';
import { createDatabase, dropSchema } from './pg-schema.js';
import { validateDefinition } from '../../src/model/validate-definition.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';
import type { DestinationStream } from 'pino';
import { silentLogger, type Logger } from '../../src/model/logger.js';

import { POSTGRES_URL, SELECTED_DIALECTS } from './dialects.js';

export { POSTGRES_URL };

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  readonly url: string | undefined;
  /** Test titles. */
  readonly label: string;
  /** 'queue': cluster mode, steps and wake-ups through graphile-worker jobs (one worker process). */
  readonly dispatch?: 'local' | 'queue';
}

export const SQLITE: Dialect = { name: 'sqlite', url: undefined, label: 'sqlite' };
/** For suites that are PostgreSQL-only by nature (cluster, leadership): they run whatever ITW_TEST_DIALECTS says. */
export const POSTGRES: Dialect = { name: 'postgres', url: POSTGRES_URL, label: 'postgres' };

/** Every store-backed suite runs on both dialects (ARCHITECTURE.md §5), or on those ITW_TEST_DIALECTS selects (dialects.ts). */
export const DIALECTS: readonly Dialect[] = [SQLITE, POSTGRES].filter((d) => SELECTED_DIALECTS.includes(d.name));

/**
 * The engine's semantics suites also run in cluster mode: the same state machine with steps as
 * graphile-worker jobs and every commit revision-checked. Only suites that do not drive the fake
 * clock can: the job queue waits in real time.
 */
export const ENGINE_MODES: readonly Dialect[] = [
  ...DIALECTS,
  ...(SELECTED_DIALECTS.includes('postgres') ? [{ ...POSTGRES, label: 'postgres + graphile-worker queue', dispatch: 'queue' as const }] : []),
];

export interface RunResult {
  readonly execution: ExecutionRecord;
  readonly runs: readonly NodeRunRecord[];
  /** The latest attempt of a node in a scope ('' = top level). */
  node(nodeId: string, scope?: string): NodeRunRecord;
  /** Every attempt of a node in a scope, oldest first. */
  attempts(nodeId: string, scope?: string): NodeRunRecord[];
}

export interface Harness {
  readonly app: App;
  readonly clock: FakeClock;
  readonly dataDir: string;
  /** Validates, stores and versions a definition. */
  deploy(def: WorkflowDefinition): Promise<VersionRecord>;
  start(def: WorkflowDefinition | VersionRecord, input?: unknown): Promise<ExecutionRecord>;
  /** Starts and drives an execution to its end, advancing the fake clock through waits. */
  run(def: WorkflowDefinition | VersionRecord, input?: unknown): Promise<RunResult>;
  settle(executionId: string, stepMs?: number): Promise<RunResult>;
  result(executionId: string): Promise<RunResult>;
  /** Waits until the execution reaches `status` (driven by real I/O and the event loop). */
  until(executionId: string, predicate: (e: ExecutionRecord) => boolean): Promise<ExecutionRecord>;
  /** Closes (steps in flight get `graceMs`) and opens the same data dir / schema again. */
  reopen(opts?: { graceMs?: number }): Promise<Harness>;
  close(): Promise<void>;
}

let schemaSeq = 0;


export async function openHarness(dialect: Dialect, opts: { dataDir?: string; schema?: string; clock?: FakeClock; config?: Partial<Config>; databaseUrl?: string; logger?: Logger; logStream?: DestinationStream } = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'itw-test-'));
  const schema = opts.schema ?? `t_${process.pid}_${Date.now().toString(36)}_${schemaSeq++}`;
  const clock = opts.clock ?? new FakeClock(Date.now());
  const queue = dialect.dispatch === 'queue';
  const keys = queue ? { encryptionKey: randomBytes(32).toString('hex'), approvalLinkSecret: randomBytes(24).toString('hex') } : {};
  const ownDb = queue && !opts.databaseUrl ? await createDatabase(dialect.url!) : undefined;
  const databaseUrl = opts.databaseUrl ?? ownDb?.url ?? dialect.url;
  const config = loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS, ...(databaseUrl ? { databaseUrl } : {}), ...keys, ...opts.config });
  // Silent unless the test captures the log.
  const app = await createApp(config, { clock, ...(opts.logStream ? { logStream: opts.logStream } : { logger: opts.logger ?? silentLogger }), ...(dialect.name === 'postgres' ? { schema } : {}), ...(queue ? { role: 'worker' as const } : {}) });

  const deploy = async (def: WorkflowDefinition): Promise<VersionRecord> => {
    const v = validateDefinition(def, app.catalog);
    expect(v.problems).toEqual([]);
    if (!v.ok) throw new Error('invalid test definition');
    const { id } = await app.store.workflows.createWorkflow(v.definition);
    return app.store.workflows.snapshotVersion(id, v.definition);
  };
  const asVersion = async (d: WorkflowDefinition | VersionRecord) => ('definition' in d ? d : deploy(d));
  const result = async (executionId: string): Promise<RunResult> => {
    const loaded = await app.store.engine.loadExecution(executionId);
    if (!loaded) throw new Error(`execution ${executionId} not found`);
    const attempts = (nodeId: string, scope = '') =>
      loaded.runs.filter((r) => r.node_id === nodeId && r.scope === scope).sort((a, b) => a.attempt - b.attempt);
    return {
      execution: loaded.execution,
      runs: loaded.runs,
      attempts,
      node: (nodeId, scope = '') => {
        const all = attempts(nodeId, scope);
        const last = all[all.length - 1];
        if (!last) throw new Error(`no run of ${nodeId} in scope "${scope}"`);
        return last;
      },
    };
  };
  const until = async (executionId: string, predicate: (e: ExecutionRecord) => boolean): Promise<ExecutionRecord> => {
    for (let i = 0; i < 2000; i++) {
      const e = (await app.store.engine.loadExecution(executionId))?.execution;
      if (e && predicate(e)) return e;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`execution ${executionId} never matched`);
  };
  const settle = async (executionId: string, stepMs = 1000): Promise<RunResult> => {
    const final = app.engine.waitForFinal(executionId);
    let done = false;
    void final.then(() => (done = true));
    for (let i = 0; i < 5000 && !done; i++) {
      await new Promise((r) => setTimeout(r, 2));
      const e = (await app.store.engine.loadExecution(executionId))?.execution;
      if (e?.status === 'waiting') clock.advance(stepMs);
    }
    await final;
    return result(executionId);
  };
  const h: Harness = {
    app, clock, dataDir, deploy, result, until, settle,
    start: async (d, input) => app.engine.startExecution({ version: await asVersion(d), input: input ?? {} }),
    run: async (d, input) => settle((await h.start(d, input)).id),
    reopen: async (closeOpts) => {
      await app.close(closeOpts);
      return openHarness(dialect, { dataDir, schema, clock, ...(opts.logger ? { logger: opts.logger } : {}), ...(opts.logStream ? { logStream: opts.logStream } : {}), ...(databaseUrl && queue ? { databaseUrl } : {}), ...(opts.config ? { config: opts.config } : {}) });
    },
    close: async () => {
      await app.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (ownDb) await ownDb.drop();
      else if (dialect.name === 'postgres' && !opts.schema) await dropSchema(dialect.url!, schema);
    },
  };
  return h;
}
