import type { Kysely } from 'kysely';
import { ConflictError, ItwError, NotFoundError } from '../model/errors.js';
import { newId } from '../model/ids.js';
import { isRole, type Role } from '../model/roles.js';
import type { Database } from './schema.js';
import { hashPassword, verifyPassword } from './secrets.js';
import { isUniqueViolation } from './unique-violation.js';

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly created_at: number;
  readonly updated_at: number;
}

const MIN_PASSWORD = 8;

/** People who log in with a password (API keys are the other kind of principal). */
export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: { username: string; password: string; role: Role }): Promise<UserRecord> {
    if (input.password.length < MIN_PASSWORD) {
      throw new ItwError('validation', `password must have at least ${MIN_PASSWORD} characters`, { details: { errors: [{ path: '/password', message: `must have at least ${MIN_PASSWORD} characters` }] } });
    }
    const at = this.now();
    const row = { id: newId('usr'), username: input.username, role: input.role, created_at: at, updated_at: at };
    try {
      await this.db.insertInto('users').values({ ...row, password_hash: await hashPassword(input.password) }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`user ${input.username} already exists`);
      throw err;
    }
    return row;
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').select(['id', 'username', 'role', 'created_at', 'updated_at']).orderBy('id').execute();
    return rows.map(toUser);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(['id', 'username', 'role', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async delete(id: string): Promise<void> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new NotFoundError('user', id);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The user when the password matches; undefined otherwise, in about the same time either way. */
  async authenticate(username: string, password: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(row?.password_hash, password);
    return ok && row ? toUser(row) : undefined;
  }
}

function toUser(row: { id: string; username: string; role: string; created_at: number; updated_at: number }): UserRecord {
  if (!isRole(row.role)) throw new Error(`user ${row.id} has an unknown role ${row.role}`);
  return { id: row.id, username: row.username, role: row.role, created_at: row.created_at, updated_at: row.updated_at };
}
