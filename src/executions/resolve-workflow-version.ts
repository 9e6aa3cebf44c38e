import type { Kysely } from 'kysely';
import type { VersionRecord } from '../engine/store-port.js';
import { NonRetryableError } from '../model/errors.js';
import type { Database } from '../store/schema.js';
import type { WorkflowRepository } from '../store/workflow-repository.js';

export interface VersionSources {
  readonly workflows: Pick<WorkflowRepository, 'getWorkflow' | 'listVersions' | 'getVersion'>;
  readonly db: Kysely<Database>;
}

/**
 * The version a `run_workflow` step names: the workflow by id or unique name, then `active` or a
 * version number. Failures are the step's own (not retried): nothing changes by trying again.
 */
export async function resolveWorkflowVersion(src: VersionSources, ref: string, which: 'active' | number): Promise<VersionRecord> {
  let wf = await src.workflows.getWorkflow(ref);
  if (!wf) {
    const named = await src.db.selectFrom('workflows').select('id').where('name', '=', ref).limit(2).execute();
    if (named.length > 1) throw new NonRetryableError('workflow_ambiguous', `more than one workflow is named "${ref}": use its id`);
    wf = named[0] ? await src.workflows.getWorkflow(named[0].id) : undefined;
  }
  if (!wf) throw new NonRetryableError('workflow_not_found', `workflow "${ref}" not found (by id or name)`, { details: { workflow_id: ref } });
  if (which === 'active') {
    const v = wf.active_version_id ? await src.workflows.getVersion(wf.active_version_id) : undefined;
    if (!v) throw new NonRetryableError('workflow_not_active', `workflow "${ref}" has no active version`, { details: { workflow_id: wf.id } });
    return v;
  }
  const v = (await src.workflows.listVersions(wf.id)).find((x) => x.version === which);
  if (!v) throw new NonRetryableError('workflow_version_not_found', `workflow "${ref}" has no version ${which}`, { details: { workflow_id: wf.id, version: which } });
  return v;
}
