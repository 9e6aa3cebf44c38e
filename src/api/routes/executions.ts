import { Type } from '@sinclair/typebox';
import type { ExecutionRecord } from '../../engine/store-port.js';
import { ItwError, NotFoundError } from '../../model/errors.js';
import { presentExecution, presentExecutionDetail, presentExecutionSummary } from '../present/execution.js';
import { IdParams, problems, WorkflowIdParams } from '../schemas/common.js';
import { ExecuteBodySchema, ExecutionDetailSchema, ExecutionListQuery, ExecutionListSchema, ExecutionSchema, RetryBodySchema } from '../schemas/execution.js';
import { retryExecution } from '../../executions/retry-execution.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['executions'];

function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ItwError('validation', `${name} is not an ISO 8601 time`, { details: { errors: [{ in: 'querystring', path: `/${name}`, message: 'must be an ISO 8601 time' }] } });
  return ms;
}

export function executionRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  /** Secret variable names of an execution's version, for redaction. */
  async function secretsOf(x: ExecutionRecord): Promise<Set<string>> {
    const v = await app.starter.version(x.version_id);
    return new Set((v?.definition.variables ?? []).filter((d) => d.secret === true).map((d) => d.name));
  }

  f.post('/automation/workflows/:id/execute', {
    schema: {
      tags, summary: 'Start an execution of the active version (or of the draft as a test run)', params: WorkflowIdParams, body: ExecuteBodySchema,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      response: { 200: ExecutionSchema, 202: ExecutionSchema, ...problems(400, 404, 413, 422) },
    },
    config: { minRole: 'operator' },
    // `curl -X POST .../execute` sends no body: that means "no input", as `{}` does.
    preValidation: (req, _reply, done) => {
      if (req.body === undefined) req.body = {};
      done();
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const { execution, existing } = await app.starter.manual({
      workflowId: req.params.id, input: req.body.input_data ?? {}, test: req.body.mode === 'test',
      ...(req.body.variables ? { variables: req.body.variables } : {}),
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
      ...(req.principal ? { createdBy: req.principal.name } : {}),
    });
    if (!existing) req.log.info({ execution_id: execution.id, workflow_id: execution.workflow_id, mode: execution.mode }, 'execution started');
    return reply.code(existing ? 200 : 202).header('location', `/automation/executions/${execution.id}`).send(presentExecution(execution, await secretsOf(execution)));
  });

  f.get('/automation/workflows/:id/executions', {
    schema: { tags, summary: 'Execution history of a workflow, newest first', params: WorkflowIdParams, querystring: Type.Omit(ExecutionListQuery, ['workflow_id']), response: { 200: ExecutionListSchema, ...problems(400, 404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    await app.repos.workflowQueries.require(req.params.id);
    return list({ ...req.query, workflow_id: req.params.id });
  });

  f.get('/automation/executions', {
    schema: { tags, summary: 'Executions across workflows, newest first, with filters and a cursor', querystring: ExecutionListQuery, response: { 200: ExecutionListSchema, ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req) => list(req.query));

  async function list(q: { workflow_id?: string | undefined; status?: ExecutionRecord['status'][] | undefined; since?: string | undefined; until?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    const since = parseTime('since', q.since);
    const until = parseTime('until', q.until);
    const page = await app.repos.executions.list({
      limit: q.limit ?? 50,
      ...(q.workflow_id !== undefined ? { workflowId: q.workflow_id } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    });
    return { items: page.items.map(presentExecutionSummary), next_cursor: page.next_cursor };
  }

  f.get('/automation/executions/:id', {
    schema: { tags, summary: 'An execution with every node attempt and its logs', params: IdParams, response: { 200: ExecutionDetailSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const loaded = await app.store.engine.loadExecution(req.params.id);
    if (!loaded) throw new NotFoundError('execution', req.params.id);
    const logs = await app.store.engine.listLogs(req.params.id);
    const linked = await app.repos.executions.linked(req.params.id);
    return presentExecutionDetail(loaded.execution, loaded.runs, logs, await secretsOf(loaded.execution), linked);
  });

  f.post('/automation/executions/:id/retry', {
    schema: {
      tags, summary: 'Retry a finished execution from its failed step or a chosen node: a new execution that keeps the earlier steps\' outputs',
      params: IdParams, body: RetryBodySchema, response: { 202: ExecutionSchema, ...problems(400, 404, 409) },
    },
    config: { minRole: 'operator' },
    preValidation: (req, _reply, done) => {
      if (req.body === undefined) req.body = {};
      done();
    },
  }, async (req, reply) => {
    const from = req.body.from ?? 'failed';
    const execution = await retryExecution(
      { engine: app.engine, executions: app.store.engine, workflows: app.store.workflows, starter: app.starter },
      { executionId: req.params.id, from: from === 'failed' ? 'failed' : { node: from }, version: req.body.version === 'active' ? 'active' : 'same' },
    );
    req.log.info({ execution_id: execution.id, retry_of: req.params.id, from }, 'execution retried');
    return reply.code(202).header('location', `/automation/executions/${execution.id}`).send(presentExecution(execution, await secretsOf(execution)));
  });

  for (const action of ['cancel', 'pause', 'resume'] as const) {
    f.post(`/automation/executions/:id/${action}`, {
      schema: { tags, summary: `${action[0]!.toUpperCase()}${action.slice(1)} an execution`, params: IdParams, response: { 200: ExecutionSchema, ...problems(404, 409) } },
      config: { minRole: 'operator' },
    }, async (req) => {
      const execution = await app.engine[action](req.params.id);
      req.log.info({ execution_id: execution.id, status: execution.status }, `execution ${action}`);
      return presentExecution(execution, await secretsOf(execution));
    });
  }
}
