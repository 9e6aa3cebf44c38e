import type { Host } from '../../model/hosts/host.js';
import { NonRetryableError } from '../../model/errors.js';

/** What one host of a fleet step ended with (the `hosts.<name>` entry of the step's output). */
export interface HostResult {
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly exit_code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly duration_ms: number;
  /** Why a host failed without an exit code (connection refused, host key mismatch...) or was skipped. */
  readonly error?: { readonly code: string; readonly message: string };
  /** What the action made on that host when it is more than output text (backup_database: the file). */
  readonly output?: Readonly<Record<string, unknown>>;
}

/** The inventory as fleet steps read it (store/host-repository.ts). */
export interface HostInventory {
  list(): Promise<readonly Host[]>;
}

/**
 * Per-host results of fleet steps, written as each host finishes so a re-dispatched step (same
 * idempotency key) runs only the hosts without one (store/kysely-fleet-ledger.ts).
 */
export interface FleetLedger {
  record(stepKey: string, host: string, result: HostResult): Promise<void>;
  results(stepKey: string): Promise<ReadonlyMap<string, HostResult>>;
}

export interface FleetServices {
  readonly hosts: HostInventory;
  readonly ledger: FleetLedger;
}

const notConfigured = () => new NonRetryableError('not_configured', 'fleet steps (`targets`) need the app\'s host inventory: none is configured here');

/** For contexts without a store (dry runs, embedding): `targets` fails clearly. */
export const NO_FLEET: FleetServices = {
  hosts: { list: () => Promise.reject(notConfigured()) },
  ledger: { record: () => Promise.reject(notConfigured()), results: () => Promise.reject(notConfigured()) },
};
