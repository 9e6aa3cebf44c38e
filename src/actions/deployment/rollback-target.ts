import type { Deployment, DeploymentLedger } from './deployment-ledger.js';

/** Bounds the walk back through history; a longer rollback chain is not a real situation. */
const MAX_STEPS = 200;

/**
 * The version to roll back to: the latest succeeded deployment before the live one whose version
 * is neither live nor one that an earlier rollback moved away from. So v1 → v2 → v3, rollback
 * gives v2, and a second rollback gives v1 (not v3 again).
 */
export async function findRollbackTarget(ledger: DeploymentLedger, live: Deployment): Promise<Deployment | undefined> {
  const skip = new Set([live.version]);
  let cursor = live;
  for (let i = 0; i < MAX_STEPS; i++) {
    if (cursor.rollback && cursor.previous_version !== null) skip.add(cursor.previous_version);
    const before = await ledger.latest(live.application, live.environment, cursor.id);
    if (!before) return undefined;
    if (!skip.has(before.version)) return before;
    cursor = before;
  }
  return undefined;
}
