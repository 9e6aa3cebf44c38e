import { api, ok, query } from './client';
import type { JsonBody as Body, QueryOf as Query } from './schema-types';
import type {
  ActionInfo, ApiKey, Approval, Credential, Host, CredentialTypeInfo, DashboardMetrics, DefinitionDocument, Execution, ExecutionDetail,
  ExecutionSummary, Incident, IncidentDetail, Me, NewUser, NodeTypeInfo, Page, Role, Template, TriggerRegistration, TriggerTypeInfo, User, UserUpdate, Version, Workflow,
  WorkflowMetrics, WorkflowSummary,
} from './types';

/**
 * One function per endpoint the UI calls, each through the client generated from the OpenAPI
 * document (`api.http`): paths, path parameters, query parameters and bodies are checked against
 * openapi.d.ts. A call whose answer the generated types describe exactly returns them as they are;
 * `as Promise<...>` marks an answer read as a UI type narrower than the server's schema (definitions,
 * JSON Schemas, variables and log lines where the schema says `unknown`): types.ts and ops-types.ts
 * say which fields, and the compiler refuses the cast if the two ever stop overlapping.
 */
const http = api.http;

const id = (value: string) => ({ params: { path: { id: value } } });

export const auth = {
  me: (): Promise<Me> => ok(http.GET('/auth/me')),
  login: (username: string, password: string): Promise<Me> => ok(http.POST('/auth/login', { body: { username, password } })),
  logout: (): Promise<void> => ok(http.POST('/auth/logout')),
};

export type WorkflowQuery = Query<'/automation/workflows', 'get'>;

export type WorkflowUpdate = Body<'/automation/workflows/{id}', 'put'>;

type TriggerBody = Body<'/automation/workflows/{id}/triggers', 'post'>;

export const workflows = {
  list: (q: WorkflowQuery = {}): Promise<Page<WorkflowSummary> & { total: number }> => ok(http.GET('/automation/workflows', { params: { query: query(q) } })),
  get: (wf: string): Promise<Workflow> => ok(http.GET('/automation/workflows/{id}', id(wf))) as Promise<Workflow>,
  create: (body: Body<'/automation/workflows', 'post'>): Promise<Workflow> => ok(http.POST('/automation/workflows', { body })) as Promise<Workflow>,
  update: (wf: string, body: WorkflowUpdate): Promise<Workflow> => ok(http.PUT('/automation/workflows/{id}', { ...id(wf), body })) as Promise<Workflow>,
  remove: (wf: string): Promise<void> => ok(http.DELETE('/automation/workflows/{id}', id(wf))),
  activate: (wf: string): Promise<Workflow> => ok(http.POST('/automation/workflows/{id}/activate', id(wf))) as Promise<Workflow>,
  deactivate: (wf: string): Promise<Workflow> => ok(http.POST('/automation/workflows/{id}/deactivate', id(wf))) as Promise<Workflow>,
  clone: (wf: string, name?: string): Promise<Workflow> => ok(http.POST('/automation/workflows/{id}/clone', { ...id(wf), body: name ? { name } : {} })) as Promise<Workflow>,
  exportDoc: (wf: string, version?: number): Promise<DefinitionDocument> =>
    ok(http.GET('/automation/workflows/{id}/export', { params: { path: { id: wf }, query: query({ format: 'json' as const, version }) } })) as Promise<DefinitionDocument>,
  importDoc: (doc: unknown): Promise<Workflow> => ok(http.POST('/automation/workflows/import', { body: doc as Body<'/automation/workflows/import', 'post'> })) as Promise<Workflow>,
  versions: (wf: string): Promise<Page<Version>> => ok(http.GET('/automation/workflows/{id}/versions', id(wf))) as Promise<Page<Version>>,
  version: (wf: string, n: number): Promise<Version> =>
    ok(http.GET('/automation/workflows/{id}/versions/{version}', { params: { path: { id: wf, version: n } } })) as Promise<Version>,
  restore: (wf: string, n: number): Promise<Workflow> =>
    ok(http.POST('/automation/workflows/{id}/versions/{version}/restore', { params: { path: { id: wf, version: n } } })) as Promise<Workflow>,
  metrics: (wf: string): Promise<WorkflowMetrics> => ok(http.GET('/automation/workflows/{id}/metrics', id(wf))),
  executions: (wf: string, limit = 1): Promise<Page<ExecutionSummary>> =>
    ok(http.GET('/automation/workflows/{id}/executions', { params: { path: { id: wf }, query: { limit } } })),
  execute: (wf: string, body: Body<'/automation/workflows/{id}/execute', 'post'>): Promise<Execution> =>
    ok(http.POST('/automation/workflows/{id}/execute', { ...id(wf), body })) as Promise<Execution>,
  triggers: (wf: string): Promise<Page<TriggerRegistration>> => ok(http.GET('/automation/workflows/{id}/triggers', id(wf))),
  /** `trigger_type` is one of GET /automation/trigger-types, whose schema says only `string`; the server checks it. */
  addTrigger: (wf: string, body: Omit<TriggerBody, 'trigger_type'> & { trigger_type: string }): Promise<TriggerRegistration> =>
    ok(http.POST('/automation/workflows/{id}/triggers', { ...id(wf), body: body as TriggerBody })),
  removeTrigger: (wf: string, triggerId: string): Promise<void> =>
    ok(http.DELETE('/automation/workflows/{id}/triggers/{trigger_id}', { params: { path: { id: wf, trigger_id: triggerId } } })),
};

export type ExecutionQuery = Query<'/automation/executions', 'get'>;

export const executions = {
  list: (q: ExecutionQuery = {}): Promise<Page<ExecutionSummary>> => ok(http.GET('/automation/executions', { params: { query: query(q) } })),
  get: (x: string): Promise<ExecutionDetail> => ok(http.GET('/automation/executions/{id}', id(x))) as Promise<ExecutionDetail>,
  control: (x: string, action: 'cancel' | 'pause' | 'resume'): Promise<Execution> => {
    const call = action === 'cancel' ? http.POST('/automation/executions/{id}/cancel', id(x))
      : action === 'pause' ? http.POST('/automation/executions/{id}/pause', id(x))
        : http.POST('/automation/executions/{id}/resume', id(x));
    return ok(call) as Promise<Execution>;
  },
  /** A new execution that keeps the steps before `from` (`failed`: the failed step; or a node id) as they ran. */
  retry: (x: string, from: string): Promise<Execution> =>
    ok(http.POST('/automation/executions/{id}/retry', { ...id(x), body: { from } })) as Promise<Execution>,
};

export const catalogue = {
  nodeTypes: (): Promise<Page<NodeTypeInfo>> => ok(http.GET('/automation/node-types')) as Promise<Page<NodeTypeInfo>>,
  actions: (): Promise<Page<ActionInfo>> => ok(http.GET('/automation/actions')) as Promise<Page<ActionInfo>>,
  triggerTypes: (): Promise<Page<TriggerTypeInfo>> => ok(http.GET('/automation/trigger-types')),
  templates: (): Promise<Page<Template>> => ok(http.GET('/automation/templates')) as Promise<Page<Template>>,
  template: (t: string): Promise<Template> => ok(http.GET('/automation/templates/{id}', id(t))) as Promise<Template>,
  useTemplate: (t: string, name?: string): Promise<Workflow> =>
    ok(http.POST('/automation/templates/{id}/use', { ...id(t), body: name ? { name } : {} })) as Promise<Workflow>,
  dashboard: (): Promise<DashboardMetrics> => ok(http.GET('/automation/metrics/dashboard')),
};

export const credentials = {
  list: (): Promise<Page<Credential>> => ok(http.GET('/automation/credentials')),
  types: (): Promise<Page<CredentialTypeInfo>> => ok(http.GET('/automation/credential-types')) as Promise<Page<CredentialTypeInfo>>,
  create: (body: Body<'/automation/credentials', 'post'>): Promise<Credential> => ok(http.POST('/automation/credentials', { body })),
  update: (c: string, body: Body<'/automation/credentials/{id}', 'patch'>): Promise<Credential> =>
    ok(http.PATCH('/automation/credentials/{id}', { ...id(c), body })),
  remove: (c: string): Promise<void> => ok(http.DELETE('/automation/credentials/{id}', id(c))),
};

export const approvals = {
  list: (executionId?: string): Promise<Page<Approval>> => ok(http.GET('/automation/approvals', { params: { query: query({ execution_id: executionId }) } })),
  answer: (runId: string, decision: 'approve' | 'reject', comment: string): Promise<unknown> => {
    const init = { params: { path: { run_id: runId } }, body: comment ? { comment } : {} };
    return ok(decision === 'approve' ? http.POST('/automation/approvals/{run_id}/approve', init) : http.POST('/automation/approvals/{run_id}/reject', init));
  },
};

export type IncidentStatus = NonNullable<Query<'/automation/incidents', 'get'>['status']>[number];

export const incidents = {
  list: (status?: readonly IncidentStatus[]): Promise<Page<Incident>> =>
    ok(http.GET('/automation/incidents', { params: { query: query({ status: status ? [...status] : undefined, limit: 200 }) } })),
  get: (i: string): Promise<IncidentDetail> => ok(http.GET('/automation/incidents/{id}', id(i))),
  acknowledge: (i: string): Promise<IncidentDetail> => ok(http.POST('/automation/incidents/{id}/acknowledge', id(i))),
  resolve: (i: string, resolution?: string): Promise<IncidentDetail> =>
    ok(http.POST('/automation/incidents/{id}/resolve', { ...id(i), body: resolution ? { resolution } : {} })),
  note: (i: string, text: string): Promise<IncidentDetail> => ok(http.POST('/automation/incidents/{id}/notes', { ...id(i), body: { text } })),
  assign: (i: string, assignee: string): Promise<IncidentDetail> => ok(http.POST('/automation/incidents/{id}/assign', { ...id(i), body: { assignee } })),
  escalate: (i: string, reason?: string): Promise<IncidentDetail> =>
    ok(http.POST('/automation/incidents/{id}/escalate', { ...id(i), body: reason ? { reason } : {} })),
};

export const hosts = {
  /** Only hosts carrying every tag given. */
  list: (tags: readonly string[] = []): Promise<Page<Host>> => ok(http.GET('/automation/hosts', { params: { query: tags.length > 0 ? { tag: [...tags] } : {} } })),
  create: (body: Body<'/automation/hosts', 'post'>): Promise<Host> => ok(http.POST('/automation/hosts', { body })),
  remove: (h: string): Promise<void> => ok(http.DELETE('/automation/hosts/{id}', id(h))),
};

export const apiKeys = {
  list: (): Promise<Page<ApiKey>> => ok(http.GET('/automation/admin/api-keys')),
  create: (name: string, role: Role): Promise<ApiKey> => ok(http.POST('/automation/admin/api-keys', { body: { name, role } })),
  revoke: (k: string): Promise<void> => ok(http.DELETE('/automation/admin/api-keys/{id}', id(k))),
};

/** Admins only (403 for others): the Users page, and who an incident can be assigned to. */
export const users = {
  list: (): Promise<Page<User>> => ok(http.GET('/automation/admin/users')),
  create: (body: NewUser): Promise<User> => ok(http.POST('/automation/admin/users', { body })),
  /** Changes the user's role, password (ending all their sessions) or Slack member id: only the fields given. */
  update: (u: string, body: UserUpdate): Promise<User> => ok(http.PATCH('/automation/admin/users/{id}', { ...id(u), body })),
  /** Maps the Slack member who acts as this user in ChatOps; null unmaps. */
  setSlackUserId: (u: string, slackUserId: string | null): Promise<User> => users.update(u, { slack_user_id: slackUserId }),
  /** Deletes the user and ends their sessions. */
  remove: (u: string): Promise<void> => ok(http.DELETE('/automation/admin/users/{id}', id(u))),
};
