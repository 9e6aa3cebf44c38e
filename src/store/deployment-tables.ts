import type { Generated } from 'kysely';
import type { DeploymentStatus } from '../actions/deployment/deployment-ledger.js';

/** The `deployments` table of migration 003 (0/1 flag and epoch ms, like every store table). */
// Type aliases, not interfaces: Kysely's table maps need an implicit index signature.
export type DeploymentsTable = {
  seq: Generated<number>;
  id: string;
  application: string;
  environment: string;
  version: string;
  previous_version: string | null;
  status: DeploymentStatus;
  rollback: 0 | 1;
  method: string;
  idempotency_key: string | null;
  at: number;
};

export type DeploymentTables = {
  deployments: DeploymentsTable;
};
