import type { ResolvedCredential } from '../../model/credentials.js';
import type { ItwError } from '../../model/errors.js';
import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { asRecord, serviceCall, serviceError, statusCode, stringField, unexpectedResponse } from '../communication/service-http.js';
import type { HttpResponse, Outbound } from '../http/http-client.js';

const DEFAULT_BASE_URL = 'https://gitlab.com';

export interface GitLabConnection {
  readonly baseUrl: string;
  readonly token: string;
}

export function gitLabConnection(cred: ResolvedCredential): GitLabConnection {
  return { baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL), token: requiredField(cred, 'token') };
}

export interface GitLabPipeline {
  readonly id: number;
  readonly status: string;
  readonly web_url: string;
}

/**
 * GitLab's error bodies: `{"message": "404 Project Not Found"}`, `{"message": {"base": ["Reference
 * not found"]}}` (validation, by field) or OAuth's `{"error", "error_description"}`.
 */
function describeError(body: unknown): string | undefined {
  const record = asRecord(body);
  const message = record?.['message'];
  if (typeof message === 'string') return message;
  const fields = asRecord(message);
  if (fields !== undefined) {
    return Object.entries(fields).map(([field, v]) => `${field}: ${Array.isArray(v) ? v.map(String).join(', ') : String(v)}`).join('; ');
  }
  const error = stringField(record, 'error');
  const description = stringField(record, 'error_description');
  return error === undefined ? undefined : description === undefined ? error : `${error}: ${description}`;
}

export function gitLabFailure(res: HttpResponse): ItwError {
  return serviceError(res, { label: 'GitLab', code: statusCode('gitlab', res.status), detail: describeError(res.body) });
}

function pipelineOf(res: HttpResponse): GitLabPipeline {
  const id = Number(stringField(res.body, 'id'));
  const status = stringField(res.body, 'status');
  const webUrl = stringField(res.body, 'web_url');
  if (!Number.isInteger(id) || status === undefined || webUrl === undefined) throw unexpectedResponse('GitLab', res, 'the pipeline id, status and web_url');
  return { id, status, web_url: webUrl };
}

async function call(conn: GitLabConnection, method: 'GET' | 'POST', path: string, body: unknown, io: Outbound): Promise<GitLabPipeline> {
  const res = await serviceCall(method, {
    url: `${conn.baseUrl}/api/v4${path}`,
    headers: { 'private-token': conn.token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
    ...io,
  });
  if (res.status >= 200 && res.status < 300) return pipelineOf(res);
  throw gitLabFailure(res);
}

/** `/projects/{id}`: a numeric id, or a `group/project` path URL-encoded as one segment, as GitLab documents. */
function projectPath(project: string): string {
  return `/projects/${encodeURIComponent(project)}`;
}

/** POST /api/v4/projects/{id}/pipeline {ref, variables:[{key, value, variable_type}]} → 201 pipeline. */
export function createGitLabPipeline(conn: GitLabConnection, project: string, ref: string, variables: Readonly<Record<string, string>>, io: Outbound): Promise<GitLabPipeline> {
  const list = Object.entries(variables).map(([key, value]) => ({ key, value, variable_type: 'env_var' }));
  return call(conn, 'POST', `${projectPath(project)}/pipeline`, { ref, ...(list.length > 0 ? { variables: list } : {}) }, io);
}

/** GET /api/v4/projects/{id}/pipelines/{pipeline_id}. */
export function getGitLabPipeline(conn: GitLabConnection, project: string, pipelineId: number, io: Outbound): Promise<GitLabPipeline> {
  return call(conn, 'GET', `${projectPath(project)}/pipelines/${pipelineId}`, undefined, io);
}
