import { NonRetryableError } from '../../model/errors.js';

export const DEPLOYMENT_STATUSES = ['succeeded', 'failed'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export interface NewDeployment {
  readonly application: string;
  readonly environment: string;
  readonly version: string;
  /** What was live before this one (null for a first deployment). */
  readonly previous_version: string | null;
  readonly status: DeploymentStatus;
  readonly rollback: boolean;
  /** `command` or `webhook`. */
  readonly method: string;
  /** The step's idempotency key, so a re-dispatched step finds the row its first run wrote. */
  readonly idempotency_key: string | null;
}

export interface Deployment extends NewDeployment {
  readonly id: string;
  /** Epoch ms. */
  readonly at: number;
}

/**
 * Where deploy actions keep their history. Actions must not import the store, so the composition
 * root passes an implementation (kysely-deployment-ledger.ts) in the action context (ActionServices.deployments).
 */
export interface DeploymentLedger {
  record(d: NewDeployment): Promise<Deployment>;
  /** The latest *succeeded* deployment of application/environment, or the latest before `beforeId`. */
  latest(application: string, environment: string, beforeId?: string): Promise<Deployment | undefined>;
  byIdempotencyKey(key: string): Promise<Deployment | undefined>;
}

/** For contexts without a store (embedding, tests of other actions): every call fails clearly. */
export const NO_DEPLOYMENT_LEDGER: DeploymentLedger = {
  record: () => Promise.reject(notConfigured()),
  latest: () => Promise.reject(notConfigured()),
  byIdempotencyKey: () => Promise.reject(notConfigured()),
};

function notConfigured(): NonRetryableError {
  return new NonRetryableError('ledger_not_configured', 'no deployment ledger configured');
}
