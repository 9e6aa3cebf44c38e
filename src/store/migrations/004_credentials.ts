import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The credentials vault: `public_data` holds the fields shown for recognition, `secret_data` the
 * AES-256-GCM sealed JSON of the secret ones (iv | tag | ciphertext, base64, the row id as AAD so a
 * ciphertext cannot be moved to another row). `key_id` names the key that sealed it.
 */
export function credentialsMigration(dialect: StoreDialect): Migration {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('public_data', json, (c) => c.notNull())
        .addColumn('secret_data', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('credentials_name').on('credentials').unique().column('name').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('credentials').execute();
    },
  };
}
