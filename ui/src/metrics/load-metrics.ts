import { catalogue, executions, workflows } from '../api/endpoints';
import type { DashboardMetrics, ExecutionSummary, WorkflowMetrics } from '../api/types';

export interface MetricsData {
  readonly dashboard: DashboardMetrics;
  readonly recent: readonly ExecutionSummary[];
  readonly perWorkflow: readonly { name: string; metrics: WorkflowMetrics }[];
  /** When it was read: the right edge of the time axis. */
  readonly fetchedAt: number;
}

/** The dashboard counters, the last (up to) 1,000 executions, and per-node metrics of the 50 most recently edited workflows. */
export async function loadMetrics(): Promise<MetricsData> {
  const [dashboard, wfs] = await Promise.all([catalogue.dashboard(), workflows.list({ limit: 50 })]);
  const recent: ExecutionSummary[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 2; i++) {
    const page = await executions.list({ limit: 500, ...(cursor ? { cursor } : {}) });
    recent.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  const perWorkflow = await Promise.all(wfs.items.map(async (w) => ({ name: w.name, metrics: await workflows.metrics(w.id) })));
  return { dashboard, recent, perWorkflow, fetchedAt: Date.now() };
}
