import type { EscalationTarget, Incident } from './incident-types.js';

/** Per page: lets a sender deduplicate and the scheduler abort on shutdown. */
export interface NotifyContext {
  /** Stable across re-fires of one timer (`<timer id>:<target index>`). */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  /** 0-based level and round being paged. */
  readonly level: number;
  readonly round: number;
}

/**
 * Pages one escalation target about an incident. Rejecting marks that page failed on the timeline;
 * the escalation goes on (the next level is the fallback for an unreachable one).
 */
export interface Notifier {
  notify(target: EscalationTarget, incident: Incident, ctx?: NotifyContext): Promise<void>;
}
