import type { Dispatcher, DispatchHost, Tick } from './dispatcher.js';
import type { Live, Waiter } from './mailbox.js';
import type { Transition } from './store-port.js';
import { isFinalExecutionStatus } from './statuses.js';
import { Wakeups } from './wakeups.js';

const deadlineKey = (executionId: string): string => `d\u0000${executionId}`;

/**
 * One process owns the store (embedded SQLite, or a standalone server on PostgreSQL): a committed
 * step runs here at once and a committed wait is an entry in one wake-up heap over the clock.
 * Nothing else would run them, so after an outage every failed execution is reloaded.
 */
export class LocalDispatcher implements Dispatcher {
  readonly soleWriter = true;
  private host!: DispatchHost;
  private wakeups!: Wakeups;

  attach(host: DispatchHost): void {
    this.host = host;
    this.wakeups = new Wakeups(host.clock, (key) => this.onDue(key));
  }

  async start(): Promise<void> {
    for (const id of await this.host.store.listUnfinishedExecutionIds()) this.host.post(id, { kind: 'recover' });
    this.host.steps.startRenewal();
  }

  prepare(tick: Tick): Transition {
    return tick.transition;
  }

  retryRefused(): boolean {
    return false;
  }

  committed(tick: Tick): void {
    const id = tick.state.execution.id;
    for (const w of tick.effects.wake) this.wakeups.set(`${id}\u0000${w.runId}`, w.at);
    // An execution final in its first commit (an inline webhook run) needs no deadline.
    const { deadline_at: deadline, status } = tick.state.execution;
    if (tick.transition.insertExecution && deadline !== null && !isFinalExecutionStatus(status)) this.wakeups.set(deadlineKey(id), deadline);
    for (const run of tick.effects.dispatch) this.host.steps.dispatch(id, run);
  }

  finished(executionId: string): void {
    this.wakeups.delete(deadlineKey(executionId));
  }

  armDeadline(executionId: string, at: number): void {
    this.wakeups.set(deadlineKey(executionId), at);
  }

  resultWaiter(): Waiter | undefined {
    return undefined;
  }

  evict(live: Live): void {
    // A parked execution costs a heap entry, not its whole image: it is reloaded when it wakes.
    const s = live.state;
    const holding = [...s.open.values()].some((r) => r.status === 'running' || r.status === 'pending');
    if (!holding && s.execution.status !== 'running') this.host.live.delete(s.execution.id);
  }

  reload(executionId: string): void {
    // The wake-up or dispatch a failed commit was to arm is gone: recovery arms it again.
    this.host.post(executionId, { kind: 'recover' });
  }

  hold(): void {
    this.wakeups.stop();
  }

  close(): void {}

  private onDue(key: string): void {
    const [a, b] = key.split('\u0000') as [string, string];
    if (a === 'd') this.host.post(b, { kind: 'deadline' });
    else {
      const run = this.host.live.get(a)?.state.byId.get(b);
      // A lease we were waiting out (another owner's step) is handled by recovery.
      if (run && run.status === 'running') this.host.post(a, { kind: 'recover' });
      else this.host.post(a, { kind: 'wake', runId: b });
    }
  }
}
