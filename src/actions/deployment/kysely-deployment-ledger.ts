import type { Generated, Kysely, Selectable } from 'kysely';
import { newId } from '../../model/ids.js';
import type { Deployment, DeploymentLedger, DeploymentStatus, NewDeployment } from './deployment-ledger.js';

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

function toDeployment(row: Selectable<DeploymentsTable>): Deployment {
  return {
    id: row.id,
    application: row.application,
    environment: row.environment,
    version: row.version,
    previous_version: row.previous_version,
    status: row.status,
    rollback: Number(row.rollback) === 1,
    method: row.method,
    idempotency_key: row.idempotency_key,
    at: Number(row.at),
  };
}

/** The ledger over the store's database (SQLite or PostgreSQL), given e.g. `store.db`. */
export class KyselyDeploymentLedger implements DeploymentLedger {
  constructor(
    private readonly db: Kysely<DeploymentTables>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Over any database migrated to 003 (`store.db`); the ledger only touches `deployments`. */
  static over<DB>(db: Kysely<DB>, now: () => number = Date.now): KyselyDeploymentLedger {
    // Kysely<DB> is invariant in DB: a store's Kysely<Database> cannot be passed as ours directly.
    return new KyselyDeploymentLedger(db as unknown as Kysely<DeploymentTables>, now);
  }

  async record(d: NewDeployment): Promise<Deployment> {
    const at = this.now();
    const row = { ...d, id: newId('dep', at), rollback: d.rollback ? (1 as const) : (0 as const), at };
    await this.db.insertInto('deployments').values(row).execute();
    return { ...d, id: row.id, at };
  }

  async latest(application: string, environment: string, beforeId?: string): Promise<Deployment | undefined> {
    let query = this.db
      .selectFrom('deployments')
      .selectAll()
      .where('application', '=', application)
      .where('environment', '=', environment)
      .where('status', '=', 'succeeded');
    if (beforeId !== undefined) {
      query = query.where('seq', '<', (eb) => eb.selectFrom('deployments').select('seq').where('id', '=', beforeId));
    }
    const row = await query.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? toDeployment(row) : undefined;
  }

  async byIdempotencyKey(key: string): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('deployments').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
    return row ? toDeployment(row) : undefined;
  }
}
