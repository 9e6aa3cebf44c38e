import type { Kysely, Migration } from 'kysely';

/**
 * `allowed_hosts`: the JSON array of host patterns a credential may be sent to (issue 11, finding 2).
 * Kept out of `public_data` so a type's fields and the binding never collide. Existing rows get `[]`:
 * vendor, SMTP, SSH and database credentials then use their type's defaults, generic HTTP ones are
 * refused until an editor names their hosts.
 */
export function credentialHostsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('credentials').addColumn('allowed_hosts', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('credentials').dropColumn('allowed_hosts').execute();
    },
  };
}
