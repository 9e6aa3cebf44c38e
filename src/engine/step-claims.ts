import { stepJobKey, type StepJob } from './cluster-work.js';
import type { Transition } from './store-port.js';

type Completion = { readonly key: string; readonly claimedBy: string };

/**
 * Cluster workers run the steps they make due themselves: the step's job is written locked to this
 * worker (JobSpec.claimBy) and completed in the transaction that records the step's result
 * (Transition.completeJobs). This is the book of such steps for one engine.
 */
export class StepClaims {
  private claim: { readonly lockId: string; readonly capacity: number } | undefined;
  /** Runs claimed by this process whose job completes with their result's commit. */
  private readonly claimed = new Set<string>();

  /** Claim steps with this queue lock id while fewer than `capacity` steps run here. */
  enable(lockId: string, capacity: number): void {
    this.claim = { lockId, capacity };
  }

  has(runId: string): boolean {
    return this.claimed.has(runId);
  }

  /** For one transition: the lock id to claim each newly due step with, while there is room. */
  claimer(running: number, draining: boolean): () => string | undefined {
    const claim = this.claim;
    let room = claim && !draining ? claim.capacity - running : 0;
    return () => (room-- > 0 ? claim?.lockId : undefined);
  }

  /** The claimed jobs whose results these step-result run ids record. */
  completions(resultRunIds: readonly string[]): Completion[] {
    const claim = this.claim;
    if (!claim || this.claimed.size === 0) return [];
    return resultRunIds.filter((id) => this.claimed.has(id)).map((id) => ({ key: stepJobKey(id), claimedBy: claim.lockId }));
  }

  /** After a commit: its completed claims are done, its new claims are ours to run. */
  committed(tx: Transition): void {
    for (const c of tx.completeJobs ?? []) this.claimed.delete(c.key.slice(2));
    for (const job of tx.jobs ?? []) if (job.claimBy !== undefined) this.claimed.add((job.payload as unknown as StepJob).r);
  }
}
