/**
 * Thrown inside a store's commit when a fencing check (a run's lease token, an execution's revision)
 * refuses a transition: it unwinds that execution's statements (a savepoint, or nothing written
 * yet) and becomes CommitResult.rejected. It never escapes commit().
 */
export class FencingRejection extends Error {
  constructor() {
    super('refused by a fencing check');
  }
}
