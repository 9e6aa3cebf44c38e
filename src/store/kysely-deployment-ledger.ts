import type { Kysely, Selectable } from 'kysely';
import type { Deployment, DeploymentLedger, NewDeployment } from '../actions/deployment/deployment-ledger.js';
import { newId } from '../model/ids.js';
import type { DeploymentsTable } from './deployment-tables.js';
import type { Database } from './schema.js';

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
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Over the store's database (`store.db`); the ledger only touches `deployments` (migration 003). */
  static over(db: Kysely<Database>, now: () => number = Date.now): KyselyDeploymentLedger {
    return new KyselyDeploymentLedger(db, now);
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
