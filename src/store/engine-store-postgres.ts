import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { CommitResult, EngineStore, JobSpec, Notice, RunUpdate, Transition } from '../engine/store-port.js';
import { groupByExecution } from './commit-groups.js';
import type { ExecutionGroup } from './commit-groups.js';
import {
  EXECUTION_COLUMNS,
  LOG_COLUMNS,
  RUN_COLUMNS,
  executionPatchColumns,
  executionValues,
  logValues,
  runPatchColumns,
  runValues,
} from './engine-rows.js';
import type { SqlValue } from './engine-rows.js';
import { KyselyEngineReads } from './engine-store-reads.js';
import { FencingRejection } from './fencing-rejection.js';
import type { JobWriter } from './job-writer.js';
import { POSTGRES_ROLLUP_SOURCES, rollupStatements, summedRollupStatements } from './execution-rollups.js';
import { columnsOf } from './rollup-summaries.js';
import { BatchEffects } from './batch-effects.js';
import { journalText, mergeJournal, type DeferredEffectsStore, type FlushedChunk, type PendingEffects } from './deferred-effects.js';
import { startAuditArrays } from './execution-audit.js';
import type { Database } from './schema.js';
import { visitTransition } from './transition-statements.js';
import { mapIdempotencyConflict } from './unique-violation.js';

const EXECUTION_TYPES = ['text', 'text', 'text', 'int4', 'text', 'text', 'text', 'jsonb', 'jsonb', 'jsonb', 'jsonb', 'text', 'int8', 'int8', 'int8', 'int8', 'int8', 'jsonb', 'text', 'text', 'text', 'int4', 'text', 'text'];
const RUN_TYPES = ['text', 'text', 'text', 'text', 'int4', 'text', 'jsonb', 'jsonb', 'jsonb', 'jsonb', 'int8', 'int8', 'int8', 'int8', 'text', 'int8', 'int4', 'jsonb', 'text', 'text'];
/** The PostgreSQL type of a patchable column, for typed unnest() arrays. */
function columnType(table: 'executions' | 'node_executions', column: string): string {
  const [columns, types] = table === 'executions' ? [EXECUTION_COLUMNS, EXECUTION_TYPES] : [RUN_COLUMNS, RUN_TYPES];
  const t = types[(columns as readonly string[]).indexOf(column)];
  if (t === undefined) throw new Error(`no type known for ${table}.${column}`);
  return t;
}

const LOG_TYPES = ['text', 'text', 'text', 'int4', 'text', 'text', 'jsonb', 'int8'];

/**
 * Multi-row insert of one table from ONE JSON parameter ($param): an array of rows, each an array of
 * column values, the JSON columns' texts as strings (so a JSON null stays apart from SQL NULL) cast
 * back here. The text is constant whatever the row count, so it runs as a named (server-side
 * prepared) statement and no batch nears PostgreSQL's 65535-parameter limit. `JSON.stringify` of the
 * rows (rowsJson) is one native call; the driver's typed-array parameters, used before, escaped every
 * element in JavaScript, a quarter of what the webhook path allocated on PostgreSQL.
 */
function jsonInsert(param: number, table: string, columns: readonly string[], types: readonly string[]): string {
  const values = types.map((t, i) => (t === 'text' ? `v->>${i}` : `(v->>${i})::${t}`)).join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values} FROM json_array_elements($${param}::json) WITH ORDINALITY AS j(v, ord) ORDER BY j.ord`;
}
interface BulkInsert {
  readonly name: string;
  readonly text: string;
}
const INSERT_EXECUTIONS: BulkInsert = { name: 'itw_ins_executions', text: jsonInsert(1, 'executions', EXECUTION_COLUMNS, EXECUTION_TYPES) };
const INSERT_RUNS: BulkInsert = { name: 'itw_ins_runs', text: jsonInsert(1, 'node_executions', RUN_COLUMNS, RUN_TYPES) };
const INSERT_LOGS: BulkInsert = { name: 'itw_ins_logs', text: jsonInsert(1, 'execution_logs', LOG_COLUMNS, LOG_TYPES) };
/**
 * A batch's new executions, runs and log lines in ONE statement (one round trip instead of three):
 * the three inserts as data-modifying CTEs, $1–$3 their rows. Foreign keys are checked at the end of
 * the statement, so runs and logs may name executions inserted beside them.
 */
const INSERT_ROWS: BulkInsert = {
  name: 'itw_ins_rows',
  text: `WITH x AS (${jsonInsert(1, 'executions', EXECUTION_COLUMNS, EXECUTION_TYPES)}), ` +
    `r AS (${jsonInsert(2, 'node_executions', RUN_COLUMNS, RUN_TYPES)}) ${jsonInsert(3, 'execution_logs', LOG_COLUMNS, LOG_TYPES)}`,
};
/**
 * A batch that only inserts (new executions that ran to their end or to a wait inline: the webhook
 * path) as ONE statement outside an explicit transaction: a statement is atomic on its own, so the
 * BEGIN and COMMIT round trips go, and its journal row rides along as a fourth CTE ($4, NULL for none).
 * Four round trips per commit become one.
 */
const INSERT_ALL: BulkInsert = {
  name: 'itw_ins_all',
  text: `WITH x AS (${jsonInsert(1, 'executions', EXECUTION_COLUMNS, EXECUTION_TYPES)}), ` +
    `r AS (${jsonInsert(2, 'node_executions', RUN_COLUMNS, RUN_TYPES)}), ` +
    `l AS (${jsonInsert(3, 'execution_logs', LOG_COLUMNS, LOG_TYPES)}) ` +
    'INSERT INTO deferred_effects (effects) SELECT e FROM (SELECT $4::text AS e) AS j WHERE e IS NOT NULL',
};
/**
 * Starts a commit's transaction, in the same round trip: its prepared statements use their generic
 * plans. PostgreSQL's default re-plans a prepared statement for every execution while it estimates a
 * custom plan cheaper, which it does for the rollup statement on a database whose statistics are not
 * (yet) there: 0.4–0.5 ms of planning per commit, about a third of a webhook's database time at one
 * request at a time. The statements are written to walk their indexes whatever the statistics
 * (execution-rollups.ts), so a generic plan is the plan. SET LOCAL ends with the transaction: reads and
 * the job queue's own statements keep the default; the job writes inside a cluster commit (lookups and
 * inserts by key) take generic plans too, measured no slower (`npm run bench -- cluster`).
 */
const BEGIN_COMMIT = 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan';
const LOCAL_COMMIT_LANES = 3;
/** Processes of a cluster pick one rollup shard at random (migration 018), so their flushes do not queue on one row. */
const PROCESS_SHARDS = 48;

/**
 * A flush's rollups on this process's shard, each set as ONE statement of data-modifying CTEs, named
 * per shard (prepared once per connection). The sub-statements touch different tables.
 */
interface ShardRollups {
  readonly shard: number;
  /** Rolled up from the stored rows: $1 the execution ids, $2 their sketch buckets (NULL without a duration). */
  readonly byId: string;
  /** Added up in memory (rollup-summaries.ts): $1–$19 the columns of the three tables' rows. */
  readonly summed: string;
}

function shardRollups(shard: number): ShardRollups {
  const r = rollupStatements(POSTGRES_ROLLUP_SOURCES, shard);
  const byId = `WITH runs AS (${r.executions} RETURNING 1), sketch AS (${r.sketch} RETURNING 1) ${r.nodes}`;
  const t = summedRollupStatements('postgres', shard);
  const summed = `WITH runs AS (${t.executions} RETURNING 1), sketch AS (${t.sketch} RETURNING 1) ${t.nodes}`;
  return { shard, byId, summed };
}

/** Journal rows a flush transaction takes at most (the database does the work, not the event loop). */
const JOURNAL_ROWS_PER_FLUSH = 1000;

/** The audit entries of journaled starts, in their order: $1–$4 their columns. */
const INSERT_AUDIT = { name: 'itw_audit_starts', text: startAuditArrays(1) };

interface InsertOp {
  readonly kind: 'execution' | 'run' | 'log';
  readonly values: SqlValue[];
}
interface UpdateOp {
  readonly kind: 'update';
  readonly table: 'executions' | 'node_executions';
  readonly columns: readonly string[];
  readonly values: SqlValue[];
  readonly id: string;
  readonly expectToken: number | undefined;
}
/** The optimistic-concurrency check: refused when the execution's revision moved on. */
interface RevisionOp {
  readonly kind: 'revision';
  readonly id: string;
  readonly expect: number;
}
type Op = InsertOp | UpdateOp | RevisionOp;

const runUpdate = (u: RunUpdate): UpdateOp => ({
  kind: 'update', table: 'node_executions', ...runPatchColumns(u.set), id: u.id, expectToken: u.expectToken,
});

/** A transition as its ordered statements (transition-statements.ts), to run or defer. */
function transitionOps(t: Transition): Op[] {
  const ops: Op[] = [];
  visitTransition(t, {
    revision: (id, expect) => ops.push({ kind: 'revision', id, expect }),
    fencedRun: (u) => ops.push(runUpdate(u)),
    insertExecution: (x) => ops.push({ kind: 'execution', values: executionValues(x) }),
    updateExecution: (set) => {
      const patch = executionPatchColumns(set);
      if (patch.columns.length > 0) ops.push({ kind: 'update', table: 'executions', ...patch, id: t.executionId, expectToken: undefined });
    },
    insertRun: (r) => ops.push({ kind: 'run', values: runValues(r) }),
    updateRun: (u) => {
      const op = runUpdate(u);
      if (op.columns.length > 0) ops.push(op);
    },
    log: (l) => ops.push({ kind: 'log', values: logValues(l) }),
  });
  return ops;
}

/** An unguarded group's statements and effects, all deferred: nothing in it can be refused. */
function deferGroup(group: ExecutionGroup, deferred: Deferred): void {
  for (const t of group.transitions) for (const op of transitionOps(t)) deferred.add(op);
  for (const t of group.transitions) deferred.addEffects(t);
}

/** The rows of INSERT_ROWS / INSERT_ALL: $1–$3. */
function insertValues(d: Deferred): [string, string, string] {
  return [rowsJson(d.executions), rowsJson(d.runs), rowsJson(d.logs)];
}

/** Buffered statements of accepted transitions, flushed at the end in an order equivalent to running them one by one. */
class Deferred {
  readonly executions: SqlValue[][] = [];
  readonly runs: SqlValue[][] = [];
  readonly updates: UpdateOp[] = [];
  readonly logs: SqlValue[][] = [];
  readonly jobs: JobSpec[] = [];
  readonly removeJobKeys: string[] = [];
  readonly completeJobs: Array<{ key: string; claimedBy: string }> = [];
  readonly notices: Notice[] = [];
  readonly effects = new BatchEffects();
  /** Jobs, removals, notices, audit entries and rollups of a transition that was not refused. */
  addEffects(t: Transition): void {
    this.effects.add(t);
    if (t.jobs) this.jobs.push(...t.jobs);
    if (t.removeJobKeys) this.removeJobKeys.push(...t.removeJobKeys);
    if (t.completeJobs) this.completeJobs.push(...t.completeJobs);
    if (t.notices) this.notices.push(...t.notices);
  }
  /** Nothing but rows to insert and the journal: the batch can be one statement (INSERT_ALL). */
  onlyInserts(): boolean {
    return this.updates.length === 0 && this.jobs.length === 0 && this.removeJobKeys.length === 0 && this.completeJobs.length === 0 && this.notices.length === 0;
  }
  add(op: Op): void {
    if (op.kind === 'revision') throw new Error('a revision check cannot be deferred');
    if (op.kind === 'update') this.updates.push(op);
    else if (op.kind === 'execution') this.executions.push(op.values);
    else if (op.kind === 'run') this.runs.push(op.values);
    else this.logs.push(op.values);
  }
}

/**
 * PostgreSQL EngineStore: one transaction per commit on a pooled client. Round trips, not SQL, are the
 * cost here, so everything that cannot be refused is deferred and flushed as three bulk inserts plus
 * the updates. A fenced execution group runs its statements up to its last fenced update directly;
 * the savepoint around them is only needed when something could be written before a refusal
 * (commit-groups.ts).
 */
export class PostgresEngineStore extends KyselyEngineReads implements EngineStore, DeferredEffectsStore {
  private readonly updateNames = new Map<string, string>();
  /** This process's rollup shard (execution-rollups.ts, migration 018): only its flushes write it. */
  private readonly rollups = shardRollups(randomInt(PROCESS_SHARDS));
  /** Writes jobs once a job queue is attached (cluster mode); jobs are refused before. */
  private jobWriter: JobWriter | undefined;

  constructor(
    db: Kysely<Database>,
    private readonly pool: pg.Pool,
  ) {
    super(db);
  }

  /**
   * Commits in flight at once: three while this process is the only writer (a commit waits mostly
   * on round trips and the WAL flush, so one at a time left both CPUs ~40 % idle under webhook load);
   * one in cluster mode, whose revision checks and job writes stay strictly ordered.
   */
  get commitLanes(): number {
    return this.jobWriter === undefined ? LOCAL_COMMIT_LANES : 1;
  }

  /** Lets transitions carry jobs, written by `writer` in their commit transaction. */
  attachJobQueue(writer: JobWriter): void {
    this.jobWriter = writer;
  }

  async commit(transitions: readonly Transition[]): Promise<CommitResult> {
    const rejected = new Set<string>();
    if (transitions.length === 0) return { rejected };
    const client = await this.pool.connect();
    const refs = this.refs.begin();
    let broken: Error | undefined;
    let open = false;
    try {
      const deferred = new Deferred();
      let groups: readonly ExecutionGroup[] | undefined;
      if (!transitions.some((t) => t.expectRevision !== undefined)) {
        groups = refs.encode(groupByExecution(transitions));
        if (groups.every((g) => !g.guarded)) {
          for (const group of groups) deferGroup(group, deferred);
          groups = [];
          if (deferred.onlyInserts()) {
            await client.query({ name: INSERT_ALL.name, text: INSERT_ALL.text, values: [...insertValues(deferred), journalText(deferred.effects) ?? null] });
            refs.confirm(rejected);
            return { rejected };
          }
        }
      }
      await client.query(BEGIN_COMMIT);
      open = true;
      if (groups === undefined) {
        const { refused, rest } = await this.checkRevisions(client, transitions);
        for (const id of refused) rejected.add(id);
        groups = refs.encode(groupByExecution(rest));
      }
      for (const group of groups) {
        if (!(await this.applyGroup(client, group, deferred))) rejected.add(group.executionId);
      }
      await this.flush(client, deferred);
      await client.query('COMMIT');
      refs.confirm(rejected);
      return { rejected };
    } catch (err) {
      // A lone statement that failed has rolled itself back.
      if (open) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
      }
      throw mapIdempotencyConflict(err);
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it rather than pool it.
      client.release(broken);
    }
  }

  /**
   * Every revision check of the batch in one statement (cluster mode), before anything is written:
   * a refused execution has nothing to undo, so no savepoints. A passed check also stands for the
   * transition's lease-token checks: in cluster mode tokens change only in revision-bumping commits.
   * Falls back to per-transition checks when an execution appears twice in the batch.
   */
  private async checkRevisions(client: pg.PoolClient, transitions: readonly Transition[]): Promise<{ refused: Set<string>; rest: readonly Transition[] }> {
    const checked = transitions.filter((t) => t.expectRevision !== undefined);
    const refused = new Set<string>();
    if (checked.length === 0 || new Set(transitions.map((t) => t.executionId)).size !== transitions.length) return { refused, rest: transitions };
    const r = await client.query<{ id: string }>({
      name: 'itw_revisions',
      text: 'UPDATE executions AS x SET revision = x.revision + 1 FROM unnest($1::text[], $2::int4[]) AS c(id, rev) WHERE x.id = c.id AND x.revision = c.rev RETURNING x.id',
      values: [checked.map((t) => t.executionId), checked.map((t) => t.expectRevision)],
    });
    const passed = new Set(r.rows.map((row) => row.id));
    for (const t of checked) if (!passed.has(t.executionId)) refused.add(t.executionId);
    const rest = transitions.flatMap((t): Transition[] => {
      if (t.expectRevision === undefined) return [t];
      if (refused.has(t.executionId)) return [];
      const { expectRevision: _checked, ...plain } = t;
      return [{ ...plain, updateRuns: t.updateRuns.map((u) => ({ id: u.id, set: u.set })) }];
    });
    return { refused, rest };
  }

  /** Returns false when a fencing check refused the group; nothing of it is then written. */
  private async applyGroup(client: pg.PoolClient, group: ExecutionGroup, deferred: Deferred): Promise<boolean> {
    if (!group.guarded) {
      deferGroup(group, deferred);
      return true;
    }
    const ops = group.transitions.flatMap(transitionOps);
    let lastGuard = -1;
    ops.forEach((op, i) => {
      if (op.kind === 'revision' || (op.kind === 'update' && op.expectToken !== undefined)) lastGuard = i;
    });
    const direct = ops.slice(0, lastGuard + 1);
    const savepoint = group.needsSavepoint;
    if (savepoint) await client.query('SAVEPOINT itw_fence');
    try {
      for (const op of direct) await this.execute(client, op);
    } catch (err) {
      if (!(err instanceof FencingRejection)) throw err;
      if (savepoint) await client.query('ROLLBACK TO SAVEPOINT itw_fence');
      return false;
    }
    if (savepoint) await client.query('RELEASE SAVEPOINT itw_fence');
    for (const op of ops.slice(lastGuard + 1)) deferred.add(op);
    for (const t of group.transitions) deferred.addEffects(t);
    return true;
  }

  private async execute(client: pg.PoolClient, op: Op): Promise<void> {
    if (op.kind === 'revision') {
      const r = await client.query({
        name: 'itw_revision', text: 'UPDATE executions SET revision = revision + 1 WHERE id = $1 AND revision = $2', values: [op.id, op.expect],
      });
      if (r.rowCount === 0) throw new FencingRejection();
      return;
    }
    if (op.kind !== 'update') {
      const stmt = op.kind === 'execution' ? INSERT_EXECUTIONS : op.kind === 'run' ? INSERT_RUNS : INSERT_LOGS;
      return this.insert(client, stmt, [op.values]);
    }
    const changed = await this.update(client, op);
    if (op.expectToken !== undefined && changed === 0) throw new FencingRejection();
  }

  private async flush(client: pg.PoolClient, d: Deferred): Promise<void> {
    await this.insertRows(client, d);
    await this.flushUpdates(client, d.updates);
    const journal = journalText(d.effects);
    if (journal !== undefined) await client.query({ name: 'itw_journal_effects', text: 'INSERT INTO deferred_effects (effects) VALUES ($1)', values: [journal] });
    await this.flushJobs(client, d);
    if (d.notices.length > 0) {
      await client.query({
        name: 'itw_notify', text: 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS t(c, p)',
        values: [d.notices.map((n) => n.channel), d.notices.map((n) => n.payload)],
      });
    }
  }

  /**
   * Unfenced updates, one statement per (table, column set) as `UPDATE ... FROM unnest(...)`: a batch
   * of step results is a handful of statements, not one round trip per run. Only when every row is
   * updated once (the usual batch); otherwise one by one, in order.
   */
  private async flushUpdates(client: pg.PoolClient, updates: readonly UpdateOp[]): Promise<void> {
    const unique = new Set(updates.map((u) => `${u.table}|${u.id}`)).size === updates.length;
    if (!unique || updates.length < 2) {
      for (const u of updates) await this.update(client, u);
      return;
    }
    const shapes = new Map<string, UpdateOp[]>();
    for (const u of updates) {
      if (u.columns.length === 0) continue;
      const key = `${u.table}|${u.columns.join(',')}`;
      const list = shapes.get(key);
      if (list) list.push(u);
      else shapes.set(key, [u]);
    }
    for (const list of shapes.values()) {
      const first = list[0]!;
      if (list.length === 1) {
        await this.update(client, first);
        continue;
      }
      const types = first.columns.map((c) => columnType(first.table, c));
      const arrays = ['$1::text[]', ...types.map((t, i) => `$${i + 2}::${t}[]`)].join(', ');
      const text = `UPDATE ${first.table} AS x SET ${first.columns.map((c) => `${c} = u.${c}`).join(', ')} ` +
        `FROM unnest(${arrays}) AS u(id, ${first.columns.join(', ')}) WHERE x.id = u.id`;
      const values: SqlValue[][] = [list.map((u) => u.id), ...first.columns.map((_, i) => list.map((u) => u.values[i] ?? null))];
      await client.query({ name: this.statementName(text), text, values });
    }
  }

  /**
   * Applies up to JOURNAL_ROWS_PER_FLUSH journal rows (deferred-effects.ts) and deletes them, in one transaction.
   * Rows another process is applying are skipped (or, with `wait`, waited for: they are gone after).
   */
  async applyDeferredEffects(wait: boolean): Promise<FlushedChunk> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(BEGIN_COMMIT);
      const taken = await client.query<{ id: string; effects: string }>({
        name: wait ? 'itw_take_effects_wait' : 'itw_take_effects',
        text: `DELETE FROM deferred_effects WHERE id IN (SELECT id FROM deferred_effects ORDER BY id LIMIT $1 FOR UPDATE${wait ? '' : ' SKIP LOCKED'}) RETURNING id, effects`,
        values: [JOURNAL_ROWS_PER_FLUSH],
      });
      const rows = taken.rows.sort((a, b) => Number(a.id) - Number(b.id));
      const effects = mergeJournal(rows);
      if (rows.length > 0) await this.writeEffects(client, effects);
      await client.query('COMMIT');
      return { more: rows.length === JOURNAL_ROWS_PER_FLUSH, unreadable: effects.unreadable };
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** Audit entries and rollups of journaled commits: a statement for each kind there is. */
  private async writeEffects(client: pg.PoolClient, effects: PendingEffects): Promise<void> {
    const { audit: a, finished, totals } = effects;
    const rollups = this.rollups;
    if (!totals.empty) {
      const rows = totals.rows();
      await client.query({
        name: `itw_summed_${rollups.shard}`, text: rollups.summed,
        values: [...columnsOf(rows.e, 8), ...columnsOf(rows.s, 4), ...columnsOf(rows.n, 7)],
      });
    }
    if (finished.length > 0) {
      await client.query({ name: `itw_rollups_${rollups.shard}`, text: rollups.byId, values: [finished.map((f) => f.executionId), finished.map((f) => f.sketchIndex)] });
    }
    if (a.length > 0) {
      await client.query({ ...INSERT_AUDIT, values: [a.map((e) => e.ts), a.map((e) => e.actor), a.map((e) => e.resourceId), a.map((e) => e.details)] });
    }
  }

  private statementName(text: string): string {
    let name = this.updateNames.get(text);
    if (name === undefined) {
      // PostgreSQL truncates statement names at 63 bytes, so name them by number, not by their columns.
      name = `itw_upd_${this.updateNames.size}`;
      this.updateNames.set(text, name);
    }
    return name;
  }

  private async flushJobs(client: pg.PoolClient, d: Deferred): Promise<void> {
    if (d.jobs.length === 0 && d.removeJobKeys.length === 0 && d.completeJobs.length === 0) return;
    if (this.jobWriter === undefined) throw new Error('this store has no job queue attached: jobs need cluster mode on PostgreSQL');
    await this.jobWriter.write(client, d);
  }

  private async insert(client: pg.PoolClient, stmt: BulkInsert, rows: readonly SqlValue[][]): Promise<void> {
    if (rows.length === 0) return;
    await client.query({ name: stmt.name, text: stmt.text, values: [rowsJson(rows)] });
  }

  /** The deferred inserts of a batch (updates come after: they may patch these rows). */
  private async insertRows(client: pg.PoolClient, d: Deferred): Promise<void> {
    if (d.executions.length + d.runs.length + d.logs.length === 0) return;
    await client.query({ name: INSERT_ROWS.name, text: INSERT_ROWS.text, values: insertValues(d) });
  }

  private async update(client: pg.PoolClient, u: UpdateOp): Promise<number> {
    const guarded = u.expectToken !== undefined;
    const n = u.columns.length;
    const text =
      n === 0
        ? // An empty fenced patch still has to prove the token; lock the row like an UPDATE would.
          'SELECT 1 FROM node_executions WHERE id = $1 AND lease_token = $2 FOR UPDATE'
        : `UPDATE ${u.table} SET ${u.columns.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${n + 1}` +
          (guarded ? ` AND lease_token = $${n + 2}` : '');
    const name = this.statementName(text);
    const values: SqlValue[] = [...u.values, u.id];
    if (guarded) values.push(u.expectToken ?? null);
    const result = await client.query({ name, text, values });
    return result.rowCount ?? 0;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Rows as the JSON parameter of a jsonInsert. JSON.stringify writes a lone surrogate as a `\udXXX` escape,
 * which PostgreSQL refuses; the driver's UTF-8 encoding turned it into U+FFFD, and so does this (the
 * check is a scan of the text, the rewrite only when one is there).
 */
function rowsJson(rows: readonly SqlValue[][]): string {
  const text = JSON.stringify(rows);
  if (!/\\ud[89a-f]/i.test(text)) return text;
  return JSON.stringify(rows.map((row) => row.map((v) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v))));
}
