import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../model/errors.js';
import { presentVersion } from '../present/workflow.js';
import { problems, WorkflowIdParams } from '../schemas/common.js';
import { VersionSchema, WorkflowSchema } from '../schemas/workflow.js';
import { editDraft, expectedRevision } from '../services/draft-editor.js';
import type { Api, ApiDeps } from '../types.js';
import { replyWorkflow } from './workflows.js';

const tags = ['versions'];
const VersionParams = Type.Object({ id: Type.String({ minLength: 1 }), version: Type.Integer({ minimum: 1 }) });

export function versionRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  async function find(workflowId: string, number: number) {
    const wf = await app.repos.workflowQueries.require(workflowId);
    const version = (await app.store.workflows.listVersions(workflowId)).find((v) => v.version === number);
    if (!version) throw new NotFoundError('version', `${workflowId}@${number}`);
    return { wf, version };
  }

  f.get('/automation/workflows/:id/versions', {
    schema: { tags, summary: 'Published versions, newest first (without definitions)', params: WorkflowIdParams, response: { 200: Type.Object({ items: Type.Array(VersionSchema) }), ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const wf = await app.repos.workflowQueries.require(req.params.id);
    const versions = await app.store.workflows.listVersions(req.params.id);
    return { items: versions.reverse().map((v) => presentVersion(v, wf.active_version_id, false)) };
  });

  f.get('/automation/workflows/:id/versions/:version', {
    schema: { tags, summary: 'One version with its definition', params: VersionParams, response: { 200: VersionSchema, ...problems(400, 404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const { wf, version } = await find(req.params.id, req.params.version);
    return presentVersion(version, wf.active_version_id, true);
  });

  f.post('/automation/workflows/:id/versions/:version/restore', {
    schema: { tags, summary: 'Copy a version\'s definition into the draft', params: VersionParams, response: { 200: WorkflowSchema, ...problems(400, 404, 409) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { version } = await find(req.params.id, req.params.version);
    await editDraft(app, req.params.id, expectedRevision(req), () => version.definition);
    return replyWorkflow(reply, deps, req.params.id);
  });
}
