import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ExecutionRecord, LogRecord, NodeRunRecord } from '../../src/engine/store-port.js';
import type { Logger } from '../../src/model/logger.js';
import { openStore } from '../../src/store/connect.js';
import type { Store } from '../../src/store/connect.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { POSTGRES_URL, SELECTED_DIALECTS } from '../support/dialects.js';

/** Every store suite runs once per dialect, against real databases (STYLE.md rule 6). */
/** ITW_TEST_DIALECTS may narrow it (test/support/dialects.ts). */
export const DIALECTS: readonly StoreDialect[] = SELECTED_DIALECTS;

const PG_URL = POSTGRES_URL;

export interface TestStore {
  readonly store: Store;
  /** Closes the store and deletes its SQLite directory or PostgreSQL schema. */
  dispose(): Promise<void>;
}

/** A fresh, migrated, empty store: a new SQLite file in a tmp dir, or a new PostgreSQL schema. */
export async function openTestStore(dialect: StoreDialect, logger?: Logger): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'itw-store-'));
    const store = await openStore({ dataDir, ...(logger ? { logger } : {}) });
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `itw_test_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ databaseUrl: PG_URL, dataDir: tmpdir(), schema, ...(logger ? { logger } : {}) });
  return {
    store,
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export function execution(id: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id,
    workflow_id: 'wf_test',
    version_id: 'ver_test',
    version: 1,
    status: 'running',
    mode: 'manual',
    trigger_type: null,
    input_data: { x: 1 },
    variables: {},
    output: undefined,
    error: null,
    idempotency_key: null,
    deadline_at: null,
    created_at: 1_700_000_000_000,
    started_at: 1_700_000_000_000,
    finished_at: null,
    duration_ms: null,
    entry_node_ids: null,
    parent_execution_id: null,
    parent_node_id: null,
    parent_run_id: null,
    depth: 0,
    retry_of: null,
    ...overrides,
  };
}

export function run(id: string, executionId: string, overrides: Partial<NodeRunRecord> = {}): NodeRunRecord {
  return {
    id,
    execution_id: executionId,
    node_id: 'n1',
    scope: '',
    attempt: 1,
    status: 'running',
    input: undefined,
    output: undefined,
    error: null,
    fired_edges: null,
    wake_at: null,
    started_at: 1_700_000_000_000,
    finished_at: null,
    duration_ms: null,
    lease_owner: 'worker-a',
    lease_expires_at: 1_700_000_030_000,
    lease_token: 1,
    state: undefined,
    ...overrides,
  };
}

export function log(executionId: string, message: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return { execution_id: executionId, node_id: 'n1', scope: '', attempt: 1, level: 'info', message, data: undefined, ts: 1_700_000_000_500, ...overrides };
}
