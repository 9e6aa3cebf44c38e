import { Migrator } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { initialMigration } from './001_initial.js';
import { authMigration } from './002_auth.js';
import { deploymentsMigration } from './003_deployments.js';
import { credentialsMigration } from './004_credentials.js';
import { incidentsMigration } from './005_incidents.js';
import { approvalsMigration } from './006_approvals.js';
import { triggersMigration } from './007_triggers.js';
import { clusterMigration } from './008_cluster.js';
import { vaultSecretsMigration } from './009_vault_secrets.js';
import { credentialHostsMigration } from './010_credential_hosts.js';
import { incidentSyncMigration } from './012_incident_sync.js';
import { historyMigration } from './011_history.js';
import { subWorkflowsMigration } from './013_sub_workflows.js';
import { concurrencyKeysMigration } from './014_concurrency_keys.js';
import { hostsMigration } from './015_hosts.js';
import { chatopsMigration } from './016_chatops.js';
import { leanIndexesMigration } from './017_lean_indexes.js';
import { rollupShardsMigration } from './018_rollup_shards.js';
import { deferredEffectsMigration } from './019_deferred_effects.js';
import { slackMessageSyncMigration } from './020_slack_message_sync.js';
import { heldFiringsMigration } from './021_held_firings.js';

/**
 * Listed statically rather than scanned from disk: the code runs from dist/ (and maybe a bundle),
 * where a directory scan would see .js/.map files or nothing at all. Add new migrations here,
 * numbered, never edited once released.
 */
function migrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '001_initial': initialMigration(dialect),
    '002_auth': authMigration(dialect),
    '003_deployments': deploymentsMigration(dialect),
    '004_credentials': credentialsMigration(dialect),
    '005_incidents': incidentsMigration(dialect),
    '006_approvals': approvalsMigration(dialect),
    '007_triggers': triggersMigration(dialect),
    '008_cluster': clusterMigration(dialect),
    '009_vault_secrets': vaultSecretsMigration(dialect),
    '010_credential_hosts': credentialHostsMigration(),
    '011_history': historyMigration(dialect),
    '012_incident_sync': incidentSyncMigration(dialect),
    '013_sub_workflows': subWorkflowsMigration(),
    '014_concurrency_keys': concurrencyKeysMigration(),
    '015_hosts': hostsMigration(dialect),
    '016_chatops': chatopsMigration(dialect),
    '017_lean_indexes': leanIndexesMigration(dialect),
    '018_rollup_shards': rollupShardsMigration(dialect),
    '019_deferred_effects': deferredEffectsMigration(dialect),
    '020_slack_message_sync': slackMessageSyncMigration(dialect),
    '021_held_firings': heldFiringsMigration(dialect),
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: StoreDialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/**
 * Brings the schema up to date, throwing the first failure. On PostgreSQL, `schema` pins Kysely's
 * bookkeeping tables next to ours: without it Kysely's existence check would find a
 * `kysely_migration` table in any schema of the database (a test schema, say) and skip creating its own.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: StoreDialect, schema?: string): Promise<void> {
  return migrateTo(db, dialect, undefined, schema);
}

/** Up to and including `target` (all when undefined): tests build databases as earlier versions left them. */
export async function migrateTo<DB>(db: Kysely<DB>, dialect: StoreDialect, target: string | undefined, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(dialect),
    ...(dialect === 'postgres' ? { migrationTableSchema: schema ?? 'public' } : {}),
  });
  const { error, results } = target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
}
