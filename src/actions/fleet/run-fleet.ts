import type { StepLogger } from '../../engine/node-handler.js';
import { ItwError, NonRetryableError } from '../../model/errors.js';
import type { Host, HostTargets } from '../../model/hosts/host.js';
import { matchHosts } from '../../model/hosts/match-hosts.js';
import { DEFAULT_FLEET_CONCURRENCY } from './fleet-params.js';
import type { FleetServices, HostResult } from './fleet-ports.js';

export interface FleetRun {
  readonly targets: HostTargets;
  readonly concurrency?: number | undefined;
  readonly max_failures?: number | undefined;
  /** The step's key: per-host results are recorded under it, each host's own key is `<key>:<host>`. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly log: StepLogger;
  readonly fleet: FleetServices;
}

export interface FleetOutcome {
  readonly hosts: Record<string, HostResult>;
  readonly succeeded: string[];
  readonly failed: string[];
  readonly skipped: string[];
}

/** Runs one host; a thrown error counts as that host's failure (connection refused, host key...). */
export type HostRunner = (host: Host, hostKey: string, signal: AbortSignal) => Promise<HostResult>;

const TAIL = 500;

function failedResult(err: unknown, durationMs: number): HostResult {
  const code = err instanceof ItwError ? err.code : 'internal_error';
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'failed', exit_code: null, stdout: '', stderr: '', duration_ms: durationMs, error: { code, message } };
}

/**
 * Runs a step on every host `targets` selects, `concurrency` at a time. Each host's result is
 * recorded as it finishes; a re-dispatched step (same idempotency key, after a crash) takes the
 * recorded ones as they are and runs only the others. Once more than `max_failures` hosts failed no
 * new host starts (the rest are `skipped`) and the step fails with the whole outcome in its details.
 */
export async function runFleet(run: FleetRun, runHost: HostRunner): Promise<FleetOutcome> {
  const matched = matchHosts(await run.fleet.hosts.list(), run.targets);
  if (matched.unknownNames.length > 0) {
    throw new NonRetryableError('unknown_hosts', `targets.names: no host named ${matched.unknownNames.join(', ')} in the inventory`, { details: { path: '/targets/names', names: matched.unknownNames } });
  }
  if (matched.hosts.length === 0) {
    throw new NonRetryableError('no_hosts_matched', `targets matched no host of the inventory (tags: ${JSON.stringify(run.targets.tags ?? [])})`, { details: { path: '/targets' } });
  }
  const maxFailures = run.max_failures ?? 0;
  const recorded = await run.fleet.ledger.results(run.idempotencyKey);
  const results = new Map<string, HostResult>();
  let failures = 0;
  for (const h of matched.hosts) {
    const r = recorded.get(h.name);
    if (r) {
      results.set(h.name, r);
      if (r.status === 'failed') failures++;
    }
  }
  if (recorded.size > 0) run.log.log('info', `fleet resumed: ${results.size} of ${matched.hosts.length} hosts already have a result`, { recorded: results.size });

  const queue = matched.hosts.filter((h) => !results.has(h.name));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (run.signal.aborted || failures > maxFailures) return;
      const host = queue[next++];
      if (!host) return;
      const started = performance.now();
      let result: HostResult;
      try {
        result = await runHost(host, `${run.idempotencyKey}:${host.name}`, run.signal);
      } catch (err) {
        // A cancelled or timed-out step records nothing for the host it interrupted: it did not finish.
        if (run.signal.aborted) return;
        result = failedResult(err, Math.round(performance.now() - started));
      }
      if (run.signal.aborted) return;
      if (result.status === 'failed') failures++;
      await run.fleet.ledger.record(run.idempotencyKey, host.name, result);
      results.set(host.name, result);
      run.log.log(result.status === 'succeeded' ? 'info' : 'warn', `host ${host.name}: ${result.status}${result.exit_code !== null ? ` (exit ${result.exit_code})` : result.error ? ` (${result.error.code})` : ''}`, { host: host.name, exit_code: result.exit_code, duration_ms: result.duration_ms });
    }
  };
  const width = Math.min(run.concurrency ?? DEFAULT_FLEET_CONCURRENCY, queue.length);
  // Every worker ends before the step does: a failed write of one host's result must not leave others running unobserved.
  const ended = await Promise.allSettled(Array.from({ length: width }, () => worker()));
  const broken = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (broken) throw broken.reason;
  run.signal.throwIfAborted();

  const outcome: FleetOutcome = { hosts: {}, succeeded: [], failed: [], skipped: [] };
  for (const h of matched.hosts) {
    const r = results.get(h.name) ?? { status: 'skipped', exit_code: null, stdout: '', stderr: '', duration_ms: 0, error: { code: 'max_failures_exceeded', message: `not started: more than ${maxFailures} host(s) failed` } };
    outcome.hosts[h.name] = r;
    outcome[r.status].push(h.name);
  }
  if (outcome.failed.length > maxFailures) {
    const brief = Object.fromEntries(Object.entries(outcome.hosts).map(([n, r]) => [n, { ...r, stdout: r.stdout.slice(-TAIL), stderr: r.stderr.slice(-TAIL) }]));
    throw new NonRetryableError('fleet_failed', `${outcome.failed.length} of ${matched.hosts.length} hosts failed (${outcome.failed.join(', ')}; max_failures ${maxFailures})${outcome.skipped.length > 0 ? `; ${outcome.skipped.length} not started` : ''}`, {
      details: { ...outcome, hosts: brief },
    });
  }
  return outcome;
}
