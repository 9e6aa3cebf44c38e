import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineEvent } from '../../engine/engine-events.js';
import { isFinalExecutionStatus } from '../../engine/statuses.js';
import type { DatabaseAvailability } from '../../store/availability.js';
import { databaseFault } from '../../store/database-errors.js';
import type { ExecutionQueries } from '../../store/execution-queries.js';

/**
 * Prometheus metrics of one server. Counters are fed by engine events (after commit); gauges are
 * read from the store at scrape time, so they are right across processes sharing a database.
 * A registry per instance (not prom-client's global one) lets several servers share a process (tests).
 */
export class PromMetrics {
  readonly registry = new Registry();
  private readonly started: Counter<'mode'>;
  private readonly finished: Counter<'status'>;
  private readonly nodeDuration: Histogram<'status'>;
  constructor(executions: ExecutionQueries, database?: Pick<DatabaseAvailability, 'status'>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'itw_' });
    this.started = new Counter({ name: 'itw_executions_started_total', help: 'Executions started by this process', labelNames: ['mode'], registers });
    this.finished = new Counter({ name: 'itw_executions_finished_total', help: 'Executions that reached a final status in this process', labelNames: ['status'], registers });
    this.nodeDuration = new Histogram({
      name: 'itw_node_duration_seconds', help: 'Duration of finished node attempts', labelNames: ['status'], registers,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
    });
    new Gauge({
      name: 'itw_database_up', help: 'Whether the database answers and can write (0 while it is unavailable or full)', registers,
      collect() {
        this.set(database === undefined || database.status === 'available' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'itw_database_status', help: 'The database state as this process sees it: 1 for the current one of available, unavailable, full', labelNames: ['status'], registers,
      collect() {
        const now = database?.status ?? 'available';
        for (const s of ['available', 'unavailable', 'full']) this.set({ status: s }, s === now ? 1 : 0);
      },
    });
    new Gauge({
      name: 'itw_executions', help: 'Executions per status, from the store', labelNames: ['status'], registers,
      async collect() {
        const counts = await unlessDown(executions.countByStatus());
        if (!counts) return;
        this.reset();
        for (const s of ['pending', 'running', 'waiting', 'paused']) this.set({ status: s }, counts.get(s) ?? 0);
      },
    });
    new Gauge({
      name: 'itw_executions_waiting', help: 'Executions parked on a delay, approval or retry backoff', registers,
      async collect() {
        const counts = await unlessDown(executions.countByStatus());
        if (counts) this.set(counts.get('waiting') ?? 0);
      },
    });
    new Gauge({
      name: 'itw_queue_depth', help: 'Node runs waiting for a worker (pending) or being worked on (running)', labelNames: ['state'], registers,
      async collect() {
        const q = await unlessDown(executions.openRunCounts());
        if (!q) return;
        this.set({ state: 'pending' }, q.pending);
        this.set({ state: 'running' }, q.running);
      },
    });
  }

  observe(e: EngineEvent): void {
    if (e.type === 'node') {
      const r = e.run;
      if ((r.status === 'completed' || r.status === 'failed') && r.duration_ms !== null) this.nodeDuration.observe({ status: r.status }, r.duration_ms / 1000);
      return;
    }
    const x = e.execution;
    if (e.previous_status === null) this.started.inc({ mode: x.mode });
    if (isFinalExecutionStatus(x.status) && (e.previous_status === null || !isFinalExecutionStatus(e.previous_status))) {
      this.finished.inc({ status: x.status });
    }
  }
}

/**
 * Store-read gauges keep their last values while the database is down: the scrape must still
 * succeed then, since itw_database_up is what it is for.
 */
async function unlessDown<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (databaseFault(err) !== undefined) return undefined;
    throw err;
  }
}
