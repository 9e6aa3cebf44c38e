import { api, ApiError, qs } from './client';
import type {
  ActionInfo, ApiKey, Approval, Credential, CredentialTypeInfo, DashboardMetrics, DefinitionDocument, Execution, ExecutionDetail,
  ExecutionSummary, Incident, IncidentDetail, Me, NodeTypeInfo, Page, Role, Template, TriggerRegistration, TriggerTypeInfo, Version, Workflow,
  WorkflowMetrics, WorkflowSummary,
} from './types';

const W = '/automation/workflows';
const X = '/automation/executions';

/** A list route that may not exist on this server yet (credentials, approvals, incidents): absent = empty. */
async function optionalList<T>(path: string): Promise<{ items: readonly T[]; available: boolean }> {
  try {
    const r = await api.get<{ items: readonly T[] } | readonly T[]>(path);
    return { items: Array.isArray(r) ? (r as readonly T[]) : (r as { items: readonly T[] }).items, available: true };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { items: [], available: false };
    throw err;
  }
}

export const auth = {
  me: () => api.get<Me>('/auth/me'),
  login: (username: string, password: string) => api.post<Me>('/auth/login', { username, password }),
  logout: () => api.post<void>('/auth/logout'),
};

export interface WorkflowQuery {
  readonly q?: string;
  readonly status?: string;
  readonly category?: string;
  readonly tag?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export type WorkflowUpdate = Partial<Omit<Workflow, 'id' | 'status' | 'created_at' | 'updated_at' | 'draft_revision' | 'active_version' | 'active_version_id'>> & {
  readonly expected_revision?: number;
};

export const workflows = {
  list: (q: WorkflowQuery = {}) => api.get<Page<WorkflowSummary> & { total: number }>(`${W}${qs({ ...q })}`),
  get: (id: string) => api.get<Workflow>(`${W}/${encodeURIComponent(id)}`),
  create: (body: Partial<DefinitionDocument> & { name: string }) => api.post<Workflow>(W, body),
  update: (id: string, body: WorkflowUpdate) => api.put<Workflow>(`${W}/${encodeURIComponent(id)}`, body),
  remove: (id: string) => api.delete(`${W}/${encodeURIComponent(id)}`),
  activate: (id: string) => api.post<Workflow>(`${W}/${encodeURIComponent(id)}/activate`),
  deactivate: (id: string) => api.post<Workflow>(`${W}/${encodeURIComponent(id)}/deactivate`),
  clone: (id: string, name?: string) => api.post<Workflow>(`${W}/${encodeURIComponent(id)}/clone`, name ? { name } : {}),
  exportDoc: (id: string, version?: number) => api.get<DefinitionDocument>(`${W}/${encodeURIComponent(id)}/export${qs({ format: 'json', version })}`),
  importDoc: (doc: unknown) => api.post<Workflow>(`${W}/import`, doc),
  versions: (id: string) => api.get<Page<Version>>(`${W}/${encodeURIComponent(id)}/versions`),
  version: (id: string, n: number) => api.get<Version>(`${W}/${encodeURIComponent(id)}/versions/${n}`),
  restore: (id: string, n: number) => api.post<Workflow>(`${W}/${encodeURIComponent(id)}/versions/${n}/restore`),
  metrics: (id: string) => api.get<WorkflowMetrics>(`${W}/${encodeURIComponent(id)}/metrics`),
  executions: (id: string, limit = 1) => api.get<Page<ExecutionSummary>>(`${W}/${encodeURIComponent(id)}/executions${qs({ limit })}`),
  execute: (id: string, body: { input_data?: unknown; variables?: Record<string, unknown>; mode?: 'test' }) =>
    api.post<Execution>(`${W}/${encodeURIComponent(id)}/execute`, body),
  triggers: (id: string) => api.get<Page<TriggerRegistration>>(`${W}/${encodeURIComponent(id)}/triggers`),
  addTrigger: (id: string, body: { trigger_type: string; config?: Record<string, unknown>; enabled?: boolean }) =>
    api.post<TriggerRegistration>(`${W}/${encodeURIComponent(id)}/triggers`, body),
  removeTrigger: (id: string, triggerId: string) => api.delete(`${W}/${encodeURIComponent(id)}/triggers/${encodeURIComponent(triggerId)}`),
};

export interface ExecutionQuery {
  readonly workflow_id?: string;
  readonly status?: readonly string[];
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export const executions = {
  list: (q: ExecutionQuery = {}) => api.get<Page<ExecutionSummary>>(`${X}${qs({ ...q })}`),
  get: (id: string) => api.get<ExecutionDetail>(`${X}/${encodeURIComponent(id)}`),
  control: (id: string, action: 'cancel' | 'pause' | 'resume') => api.post<Execution>(`${X}/${encodeURIComponent(id)}/${action}`),
};

export const catalogue = {
  nodeTypes: () => api.get<Page<NodeTypeInfo>>('/automation/node-types'),
  actions: () => api.get<Page<ActionInfo>>('/automation/actions'),
  triggerTypes: () => api.get<Page<TriggerTypeInfo>>('/automation/trigger-types'),
  templates: () => api.get<Page<Template>>('/automation/templates'),
  template: (id: string) => api.get<Template>(`/automation/templates/${encodeURIComponent(id)}`),
  useTemplate: (id: string, name?: string) => api.post<Workflow>(`/automation/templates/${encodeURIComponent(id)}/use`, name ? { name } : {}),
  dashboard: () => api.get<DashboardMetrics>('/automation/metrics/dashboard'),
};

const C = '/automation/credentials';
export const credentials = {
  list: () => optionalList<Credential>(C),
  types: () => optionalList<CredentialTypeInfo>('/automation/credential-types'),
  create: (body: { name: string; type: string; data: Record<string, unknown>; allowed_hosts?: readonly string[] }) => api.post<Credential>(C, body),
  update: (id: string, body: { name?: string; data?: Record<string, unknown>; allowed_hosts?: readonly string[] }) => api.patch<Credential>(`${C}/${encodeURIComponent(id)}`, body),
  remove: (id: string) => api.delete(`${C}/${encodeURIComponent(id)}`),
};

const A = '/automation/approvals';
export const approvals = {
  list: (executionId?: string) => optionalList<Approval>(`${A}${qs({ execution_id: executionId })}`),
  answer: (runId: string, decision: 'approve' | 'reject', comment: string) =>
    api.post<unknown>(`${A}/${encodeURIComponent(runId)}/${decision}`, comment ? { comment } : {}),
};

const I = '/automation/incidents';
export const incidents = {
  list: (status?: readonly string[]) => optionalList<Incident>(`${I}${qs({ status, limit: 200 })}`),
  get: (id: string) => api.get<IncidentDetail>(`${I}/${encodeURIComponent(id)}`),
  acknowledge: (id: string) => api.post<IncidentDetail>(`${I}/${encodeURIComponent(id)}/acknowledge`, {}),
  resolve: (id: string, resolution?: string) => api.post<IncidentDetail>(`${I}/${encodeURIComponent(id)}/resolve`, resolution ? { resolution } : {}),
  note: (id: string, text: string) => api.post<IncidentDetail>(`${I}/${encodeURIComponent(id)}/notes`, { text }),
};

const K = '/automation/admin/api-keys';
export const apiKeys = {
  list: () => api.get<Page<ApiKey>>(K),
  create: (name: string, role: Role) => api.post<ApiKey>(K, { name, role }),
  revoke: (id: string) => api.delete(`${K}/${encodeURIComponent(id)}`),
};
