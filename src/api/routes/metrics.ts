import { Type } from '@sinclair/typebox';
import { Nullable, problems, WorkflowIdParams } from '../schemas/common.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['metrics'];
const N = Nullable(Type.Number());

const DashboardSchema = Type.Object({
  total_workflows: Type.Integer(), active_workflows: Type.Integer(), total_executions: Type.Integer(), running_executions: Type.Integer(),
  waiting_executions: Type.Integer(), executions_by_status: Type.Record(Type.String(), Type.Integer()), templates_available: Type.Integer(),
  integration_actions: Type.Integer(),
});

const WorkflowMetricsSchema = Type.Object({
  workflow_id: Type.String(), total_executions: Type.Integer(), completed: Type.Integer(), failed: Type.Integer(), cancelled: Type.Integer(),
  success_rate: N, duration_ms: Type.Object({ avg: N, min: N, max: N, p95: N, p99: N }),
  nodes: Type.Array(Type.Object({ node_id: Type.String(), executions: Type.Integer(), failures: Type.Integer(), avg_duration_ms: N })),
});

export function metricsRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/metrics/dashboard', {
    schema: { tags, summary: 'Dashboard counters', response: { 200: DashboardSchema } },
    config: { minRole: 'viewer' },
  }, async () => {
    const [workflows, byStatus, templates] = [await app.repos.workflowQueries.counts(), await app.repos.executions.countByStatus(), await app.repos.templates.count()];
    const n = (s: string) => byStatus.get(s) ?? 0;
    return {
      total_workflows: workflows.total, active_workflows: workflows.active,
      total_executions: [...byStatus.values()].reduce((a, b) => a + b, 0),
      running_executions: n('pending') + n('running'), waiting_executions: n('waiting'),
      executions_by_status: Object.fromEntries(byStatus), templates_available: templates, integration_actions: app.actions.size,
    };
  });

  f.get('/automation/workflows/:id/metrics', {
    schema: { tags, summary: 'Execution metrics of a workflow: counts, success rate, duration percentiles, per-node counts', params: WorkflowIdParams, response: { 200: WorkflowMetricsSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    await app.repos.workflowQueries.require(req.params.id);
    const m = await app.repos.metrics.workflow(req.params.id);
    return { workflow_id: req.params.id, ...m, nodes: [...m.nodes] };
  });
}
