import type { Engine } from '../../engine/engine.js';
import type { EngineEvent } from '../../engine/engine-events.js';
import type { OutputLine, OutputListener } from '../../engine/live-output.js';

/** The events of one engine commit (or of commits that happened in the same turn), in causal order. */
export type HubListener = (events: readonly EngineEvent[]) => void;

/**
 * One engine subscription fanned out to every SSE stream, metrics and logs.
 *
 * The engine emits a commit's events synchronously, inserted runs before updated ones: a delay that
 * wakes and the transforms it releases arrive as "double, sum, wait". The hub collects what is emitted
 * in one turn and hands it on in a microtask, node events ordered by run id (ids grow with creation
 * time, so a finishing run precedes the successors it made ready, attempt 1 precedes attempt 2), each
 * run once, execution events last.
 */
export class EventHub {
  private readonly listeners = new Set<HubListener>();
  private readonly closers = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private pending: EngineEvent[] = [];

  constructor(private readonly engine: Pick<Engine, 'onEvent'> & Partial<Pick<Engine, 'output'>>) {
    this.unsubscribe = engine.onEvent((e) => {
      if (this.pending.length === 0) queueMicrotask(() => this.flush());
      this.pending.push(e);
    });
  }

  private flush(): void {
    const events = this.pending;
    this.pending = [];
    // The engine emits each commit's changes in the order they happened; a run changed twice in one
    // batch is sent once, at the place of its last change, and execution events come after the runs.
    const runs = new Map<string, EngineEvent>();
    const executions: EngineEvent[] = [];
    for (const e of events) {
      if (e.type === 'node') {
        runs.delete(e.run.id);
        runs.set(e.run.id, e);
      } else {
        executions.push(e);
      }
    }
    const ordered = [...runs.values(), ...executions];
    for (const l of this.listeners) {
      try {
        l(ordered);
      } catch {
        // A broken stream must not break the other listeners.
      }
    }
  }

  /**
   * Live process output of running steps, as it is written: not batched, so a step's lines arrive
   * before the commit of its result. The engine builds live views only while someone listens.
   */
  subscribeOutput(listener: OutputListener): () => void {
    return this.engine.output?.onOutput((line) => {
      try {
        listener(line);
      } catch {
        // A broken stream must not break the step or the other listeners.
      }
    }) ?? (() => undefined);
  }

  /** The latest output lines of an execution's running steps (for a stream opened mid-step). */
  recentOutput(executionId: string): OutputLine[] {
    return this.engine.output?.recentOutput(executionId) ?? [];
  }

  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Long-lived responses register how to end themselves, so shutdown is not held up by them. */
  trackStream(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  closeStreams(): void {
    for (const c of [...this.closers]) c();
  }

  stop(): void {
    this.closeStreams();
    this.unsubscribe();
    this.listeners.clear();
  }
}
