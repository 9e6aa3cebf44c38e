import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { ItwError, NotFoundError } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import { parseDefinitionText } from '../../model/parse-definition.js';
import { PROBLEM_CODES } from '../../model/problems.js';
import { DefinitionInvalidError } from '../../model/errors.js';
import type { WorkflowDefinition } from '../../model/types.js';
import { problems, stringEnum, WorkflowIdParams } from '../schemas/common.js';
import { WorkflowSchema } from '../schemas/workflow.js';
import { storableDraft } from '../services/draft-editor.js';
import type { Api, ApiDeps } from '../types.js';
import { replyWorkflow } from './workflows.js';

const tags = ['workflows'];

/** Definition documents as YAML: registered for the import route's body. */
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

export function transferRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/workflows/:id/export', {
    schema: {
      tags, summary: 'The draft (or a version) as a definition document, JSON or YAML', params: WorkflowIdParams,
      querystring: Type.Object({ format: Type.Optional(stringEnum(['json', 'yaml'] as const, { default: 'json' })), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: Type.Unknown({ description: 'the definition (ARCHITECTURE.md §2 format)' }), ...problems(400, 404) },
    },
    config: { minRole: 'viewer' },
  }, async (req, reply) => {
    const wf = await app.repos.workflowQueries.require(req.params.id);
    let def: WorkflowDefinition | undefined;
    if (req.query.version !== undefined) {
      def = (await app.store.workflows.listVersions(wf.id)).find((v) => v.version === req.query.version)?.definition;
      if (!def) throw new NotFoundError('version', `${wf.id}@${req.query.version}`);
    } else {
      def = await app.store.workflows.getDefinition(wf.id);
      if (!def) throw new NotFoundError('workflow', wf.id);
    }
    const slug = wf.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || wf.id;
    if (req.query.format === 'yaml') {
      return reply.type('application/yaml').header('content-disposition', `attachment; filename="${slug}.yaml"`).serializer((p) => p as string).send(stringify(def));
    }
    return reply.type('application/json').header('content-disposition', `attachment; filename="${slug}.json"`).serializer((p) => JSON.stringify(p, null, 2)).send(def);
  });

  f.post('/automation/workflows/import', {
    schema: {
      tags, summary: 'Create a workflow draft from a definition document (JSON, or YAML with a YAML content type)',
      body: Type.Unknown({ description: 'a definition document' }), response: { 201: WorkflowSchema, ...problems(400, 413, 415, 422) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    let doc: unknown = req.body;
    if (typeof doc === 'string') {
      const parsed = parseDefinitionText(doc);
      const limits = parsed.ok ? [] : parsed.problems.filter((p) => p.code === PROBLEM_CODES.limitExceeded);
      // Alias bombs and over-deep documents are bad requests (400), not definitions with problems (422).
      if (limits.length > 0) throw new ItwError('bad_request', limits.map((p) => p.message).join('; '), { details: { errors: limits.map((p) => ({ in: 'body', path: p.path, message: p.message })) } });
      if (!parsed.ok) throw new DefinitionInvalidError(parsed.problems);
      doc = parsed.value;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ItwError('validation', 'the body must be a definition document (an object)', { details: { errors: [{ in: 'body', path: '', message: 'must be an object' }] } });
    }
    const def = storableDraft(doc);
    const { id } = await app.store.workflows.createWorkflow(def, { id: newId('wf') });
    return replyWorkflow(reply.header('location', `/automation/workflows/${id}`), deps, id, 201);
  });

  f.post('/automation/workflows/:id/clone', {
    schema: {
      tags, summary: 'Copy the draft into a new workflow', params: WorkflowIdParams,
      // Nullable: a POST without a body validates as null.
      body: Type.Union([Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }), Type.Null()]),
      response: { 201: WorkflowSchema, ...problems(400, 404) },
    },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const def = await app.store.workflows.getDefinition(req.params.id);
    if (!def) throw new NotFoundError('workflow', req.params.id);
    const { id } = await app.store.workflows.createWorkflow({ ...def, name: req.body?.name ?? `Copy of ${def.name}` }, { id: newId('wf') });
    return replyWorkflow(reply.header('location', `/automation/workflows/${id}`), deps, id, 201);
  });
}
