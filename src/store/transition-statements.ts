import type { ExecutionPatch, ExecutionRecord, LogRecord, NodeRunRecord, RunUpdate, Transition } from '../engine/store-port.js';

/** One callback per kind of statement a transition writes; `t` is the transition it belongs to. */
export interface TransitionVisitor {
  /** The execution's revision check (cluster mode). */
  revision(executionId: string, expect: number, t: Transition): void;
  /** A run update fenced by its lease token (`u.expectToken` is set). */
  fencedRun(u: RunUpdate, t: Transition): void;
  insertExecution(x: ExecutionRecord, t: Transition): void;
  updateExecution(patch: ExecutionPatch, t: Transition): void;
  insertRun(r: NodeRunRecord, t: Transition): void;
  /** A run update without a token. */
  updateRun(u: RunUpdate, t: Transition): void;
  log(l: LogRecord, t: Transition): void;
}

/**
 * The order a transition's statements run in, for both dialects and for commit-groups.ts, which
 * reasons about it: every check first (revision, then fenced run updates), so a refused transition
 * has written nothing of its own; then the execution row before its runs, and logs last.
 */
export function visitTransition(t: Transition, v: TransitionVisitor): void {
  if (t.expectRevision !== undefined) v.revision(t.executionId, t.expectRevision, t);
  for (const u of t.updateRuns) if (u.expectToken !== undefined) v.fencedRun(u, t);
  if (t.insertExecution !== undefined) v.insertExecution(t.insertExecution, t);
  if (t.updateExecution !== undefined) v.updateExecution(t.updateExecution, t);
  for (const r of t.insertRuns) v.insertRun(r, t);
  for (const u of t.updateRuns) if (u.expectToken === undefined) v.updateRun(u, t);
  for (const l of t.logs) v.log(l, t);
}
