/** The last event of a debounced burst, waiting for its quiet period to end. */
export interface HeldFiring {
  readonly input: unknown;
  /** The event's own key (delivery id...); null when its source has none. */
  readonly key: string | null;
  /** When the burst's execution starts unless another event comes first (epoch ms). */
  readonly dueAt: number;
}

/**
 * Where debounced events wait (firing-gate.ts). The database's (store/held-firing-repository.ts)
 * makes a held event as durable as an execution: a process killed within the quiet period leaves it
 * for the next one, and every process of a cluster folds its events into the same burst.
 */
export interface HeldFirings {
  /** True when a held event outlives the process (a process that stops leaves it to the next). */
  readonly durable: boolean;
  /** Holds `held` as the trigger's burst, in place of the one held before: true when there was one. */
  hold(triggerId: string, held: HeldFiring): Promise<boolean>;
  get(triggerId: string): Promise<HeldFiring | undefined>;
  /** Forgets the burst once its execution exists, unless a later event has replaced it since. */
  release(triggerId: string, dueAt: number): Promise<void>;
}

/** In one process's memory (unit tests, tools that run triggers without a store). */
export class MemoryHeldFirings implements HeldFirings {
  readonly durable = false;
  private readonly held = new Map<string, HeldFiring>();

  hold(triggerId: string, held: HeldFiring): Promise<boolean> {
    const had = this.held.has(triggerId);
    this.held.set(triggerId, held);
    return Promise.resolve(had);
  }

  get(triggerId: string): Promise<HeldFiring | undefined> {
    return Promise.resolve(this.held.get(triggerId));
  }

  release(triggerId: string, dueAt: number): Promise<void> {
    if (this.held.get(triggerId)?.dueAt === dueAt) this.held.delete(triggerId);
    return Promise.resolve();
  }
}
