import type { Kysely } from 'kysely';
import { sealDefinition, sealTriggerConfig } from '../../model/seal-secrets.js';
import type { SecretKeeper } from '../../model/secret-ref.js';
import type { WorkflowDefinition } from '../../model/types.js';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { Database } from '../schema.js';
import type { WorkflowRepository } from '../workflow-repository.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Moves clear secrets stored before the vault held them (trigger rows, drafts, published
 * versions) into the vault, references in their place. Runs at every start and changes only what
 * still holds a clear secret, so it is a no-op once done. Node-mirroring trigger rows are rewritten
 * from their (now sealed) version when the trigger manager syncs them.
 */
export async function sealStoredSecrets(db: Kysely<Database>, workflows: WorkflowRepository, keeper: SecretKeeper): Promise<number> {
  let changed = 0;
  const rows = await db.selectFrom('workflow_triggers').select(['id', 'workflow_id', 'trigger_type', 'config']).where('node_id', 'is', null).execute();
  for (const r of rows) {
    const config = JSON.parse(r.config) as Record<string, unknown>;
    const sealed = await sealTriggerConfig(keeper, r.workflow_id, r.trigger_type, config);
    if (same(config, sealed)) continue;
    await db.updateTable('workflow_triggers').set({ config: JSON.stringify(sealed) }).where('id', '=', r.id).execute();
    changed += 1;
  }
  for (const w of await db.selectFrom('workflows').select('id').execute()) {
    const draft = await workflows.getDefinition(w.id);
    if (!draft) continue;
    const sealed = await sealDefinition(keeper, w.id, draft);
    if (same(draft, sealed)) continue;
    await workflows.replaceDefinition(w.id, sealed);
    changed += 1;
  }
  const versions = await db.selectFrom('workflow_versions').select(['id', 'workflow_id', 'definition']).execute();
  for (const v of versions) {
    const def = (typeof v.definition === 'string' ? JSON.parse(v.definition) : v.definition) as WorkflowDefinition;
    const sealed = await sealDefinition(keeper, v.workflow_id, def);
    if (same(def, sealed)) continue;
    const definition = canonicalJson(sealed);
    await db.updateTable('workflow_versions').set({ definition, hash: sha256Hex(definition) }).where('id', '=', v.id).execute();
    changed += 1;
  }
  return changed;
}
