import type { GraphState } from './types';

/**
 * Undo/redo over whole graph snapshots. Snapshots share every unchanged node and edge object with
 * the live state, so even a 300-node graph costs two arrays per step. Run state and selection are
 * not history: they are stripped before a snapshot is kept.
 */
export class History {
  private readonly past: GraphState[] = [];
  private future: GraphState[] = [];

  constructor(private readonly limit = 100) {}

  /** Remember `before` as the state to go back to; a new edit forgets what could be redone. */
  record(before: GraphState): void {
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(current: GraphState): GraphState | undefined {
    const prev = this.past.pop();
    if (prev) this.future.push(current);
    return prev;
  }

  redo(current: GraphState): GraphState | undefined {
    const next = this.future.pop();
    if (next) this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  clear(): void {
    this.past.length = 0;
    this.future = [];
  }
}
