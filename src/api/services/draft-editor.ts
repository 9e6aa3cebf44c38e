import type { FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { checkDraft } from '../../model/check-draft.js';
import { definitionSizeProblems } from '../../model/definition-limits.js';
import { ConflictError, DefinitionInvalidError, ItwError, NotFoundError } from '../../model/errors.js';
import type { WorkflowDefinition } from '../../model/types.js';

/**
 * The revision a client says it edited: `If-Match: "3"` (or `3`, `W/"3"`) or `expected_revision` in
 * the body. Undefined means "whatever is current" (last writer wins, but never a lost update inside
 * one read-modify-write).
 */
export function expectedRevision(request: FastifyRequest, body?: { expected_revision?: number | undefined }): number | undefined {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '' && header.trim() !== '*') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!m) throw new ItwError('validation', 'If-Match must be a draft revision such as "3"', { details: { errors: [{ in: 'headers', path: '/if-match', message: 'must be a revision number' }] } });
    return Number(m[1]);
  }
  return body?.expected_revision;
}

/** Checks the draft can be stored (shape, unique ids); graph problems wait for activation. */
export function storableDraft(def: unknown): WorkflowDefinition {
  // Size first: planning a huge graph is what held the server, and the checks below walk it too.
  const tooBig = definitionSizeProblems(def);
  if (tooBig.length > 0) {
    throw new ItwError('payload_too_large', `the workflow definition is too large: ${tooBig.map((p) => p.message).join('; ')}`, {
      details: { errors: tooBig.map((p) => ({ in: 'body', path: p.path, message: p.message })) },
    });
  }
  const checked = checkDraft(def);
  if (!checked.ok) throw new DefinitionInvalidError(checked.problems);
  return checked.definition;
}

/**
 * Read-modify-write of a draft under optimistic concurrency. The revision is read before the
 * definition, so a save in between makes our write's revision check fail instead of overwriting it;
 * without a client-given revision such a race is retried on the fresh draft.
 */
export async function editDraft(
  app: App,
  workflowId: string,
  expected: number | undefined,
  edit: (def: WorkflowDefinition) => WorkflowDefinition,
): Promise<{ definition: WorkflowDefinition; draft_revision: number }> {
  for (let attempt = 1; ; attempt++) {
    const current = await app.store.workflows.getWorkflow(workflowId);
    if (!current) throw new NotFoundError('workflow', workflowId);
    if (expected !== undefined && expected !== current.draft_revision) {
      throw new ConflictError(`the draft is at revision ${current.draft_revision}, not ${expected}: reload it and apply the change again`, { expected, actual: current.draft_revision });
    }
    const def = await app.store.workflows.getDefinition(workflowId);
    if (!def) throw new NotFoundError('workflow', workflowId);
    const next = storableDraft(edit(def));
    try {
      const { draft_revision } = await app.store.workflows.replaceDefinition(workflowId, next, { expectRevision: current.draft_revision });
      return { definition: next, draft_revision };
    } catch (err) {
      if (!(err instanceof ConflictError) || expected !== undefined || attempt >= 5) throw err;
    }
  }
}
