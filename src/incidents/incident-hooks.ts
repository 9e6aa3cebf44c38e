import type { Incident } from './incident-types.js';

export const INCIDENT_HOOK_TYPES = ['incident.created', 'incident.acknowledged', 'incident.escalated', 'incident.resolved'] as const;
export type IncidentHookType = (typeof INCIDENT_HOOK_TYPES)[number];

/** What the incident trigger (and anyone else) subscribes to; emitted after the change committed. */
export interface IncidentHookEvent {
  readonly type: IncidentHookType;
  /** The incident as the change left it. */
  readonly incident: Incident;
  readonly at: number;
  readonly actor: string | null;
  /** Level/round for escalations, resolution text, alert id... */
  readonly data: Readonly<Record<string, unknown>>;
}

export type IncidentListener = (event: IncidentHookEvent) => void | Promise<void>;

/**
 * Fan-out to listeners. A listener that throws or rejects is reported to `onError` and never undoes the
 * change or stops the other listeners: the incident is already committed.
 */
export class IncidentHooks {
  private readonly listeners = new Set<IncidentListener>();

  constructor(private readonly onError: (err: unknown, event: IncidentHookEvent) => void) {}

  /** Returns the unsubscribe function. */
  on(listener: IncidentListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(events: readonly IncidentHookEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          const result = listener(event);
          if (result instanceof Promise) result.catch((err: unknown) => this.onError(err, event));
        } catch (err) {
          this.onError(err, event);
        }
      }
    }
  }
}
