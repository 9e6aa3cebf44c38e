import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * Secrets that are not credentials (trigger HMAC secrets and tokens, secret variables' defaults and
 * execution overrides), sealed like credentials (AES-256-GCM, `id:owner` as AAD so a ciphertext
 * cannot be moved to another row or workflow). Clear values already stored are moved here at start
 * (store/credentials/seal-stored-secrets.ts): that needs the key, which migrations do not have.
 */
export function vaultSecretsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('vault_secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('vault_secrets_owner').on('vault_secrets').column('owner').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('vault_secrets').ifExists().execute();
    },
  };
}
