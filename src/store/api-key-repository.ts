import type { Kysely } from 'kysely';
import { NotFoundError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { isRole, type Role } from '../model/roles.js';
import type { ApiKeysTable, Database } from './schema.js';
import { hashToken, newSecret } from './secrets.js';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** `itw_` and the key's first characters: enough to recognise it, useless to use it. */
  readonly prefix: string;
  readonly created_by: string | null;
  readonly created_at: number;
  readonly last_used_at: number | null;
  readonly revoked_at: number | null;
}

/** API keys, stored as sha256 of the key; the key itself exists only in the create() answer. */
export class ApiKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: { name: string; role: Role; createdBy?: string | null }): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = newSecret('itw');
    const record: ApiKeyRecord = {
      id: newId('key'), name: input.name, role: input.role, prefix: key.slice(0, 12), created_by: input.createdBy ?? null,
      created_at: this.now(), last_used_at: null, revoked_at: null,
    };
    await this.db.insertInto('api_keys').values({ ...record, key_hash: hashToken(key) }).execute();
    return { key, record };
  }

  /** The live (not revoked) key matching the secret. */
  async findByKey(key: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashToken(key)).where('revoked_at', 'is', null).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The live (not revoked) key with this id. */
  async getLive(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Every key, revoked ones included (a listing is also an audit trail). */
  async list(): Promise<ApiKeyRecord[]> {
    return (await this.db.selectFrom('api_keys').selectAll().orderBy('id').execute()).map(toRecord);
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const at = this.now();
    await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError('api key', id);
    return toRecord(row);
  }

  async touch(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRecord(row: ApiKeysTable): ApiKeyRecord {
  if (!isRole(row.role)) throw new Error(`api key ${row.id} has an unknown role ${row.role}`);
  return {
    id: row.id, name: row.name, role: row.role, prefix: row.prefix, created_by: row.created_by, created_at: row.created_at,
    last_used_at: row.last_used_at, revoked_at: row.revoked_at,
  };
}
