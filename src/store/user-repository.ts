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
  /** The Slack user who acts as this user in ChatOps (approval buttons, slash commands); null = none. */
  readonly slack_user_id: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

const MIN_PASSWORD = 8;
const COLUMNS = ['id', 'username', 'role', 'slack_user_id', 'created_at', 'updated_at'] as const;

/** People who log in with a password (API keys are the other kind of principal). */
export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: { username: string; password: string; role: Role; slack_user_id?: string | null | undefined }): Promise<UserRecord> {
    if (input.password.length < MIN_PASSWORD) {
      throw new ItwError('validation', `password must have at least ${MIN_PASSWORD} characters`, { details: { errors: [{ path: '/password', message: `must have at least ${MIN_PASSWORD} characters` }] } });
    }
    const at = this.now();
    const row = { id: newId('usr'), username: input.username, role: input.role, slack_user_id: input.slack_user_id ?? null, created_at: at, updated_at: at };
    try {
      await this.db.insertInto('users').values({ ...row, password_hash: await hashPassword(input.password) }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(row.slack_user_id !== null && (await this.bySlackUserId(row.slack_user_id)) ? `Slack user ${row.slack_user_id} is already mapped to another user` : `user ${input.username} already exists`);
      throw err;
    }
    return row;
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').select(COLUMNS).orderBy('id').execute();
    return rows.map(toUser);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  /** The user a Slack user id is mapped to (ChatOps acts as them). */
  async bySlackUserId(slackUserId: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('slack_user_id', '=', slackUserId).executeTakeFirst();
    return row && toUser(row);
  }

  /** Maps (or with null unmaps) the Slack user who acts as this user; one Slack user maps to one user. */
  async setSlackUserId(id: string, slackUserId: string | null): Promise<UserRecord> {
    try {
      const result = await this.db.updateTable('users').set({ slack_user_id: slackUserId, updated_at: this.now() }).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new NotFoundError('user', id);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`Slack user ${String(slackUserId)} is already mapped to another user`);
      throw err;
    }
    return (await this.get(id))!;
  }

  /** Deletes a user, never the last admin (nobody could then manage users or keys from the UI). */
  async delete(id: string): Promise<void> {
    const result = await this.db.deleteFrom('users').where('id', '=', id)
      .where((eb) => eb.or([
        eb('role', '!=', 'admin'),
        eb(eb.selectFrom('users as a').select((a) => a.fn.countAll<number>().as('n')).where('a.role', '=', 'admin'), '>', 1),
      ]))
      .executeTakeFirst();
    if (result.numDeletedRows > 0n) return;
    if (await this.get(id)) throw new ConflictError('this is the last admin: make another user admin first');
    throw new NotFoundError('user', id);
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

function toUser(row: { id: string; username: string; role: string; slack_user_id: string | null; created_at: number; updated_at: number }): UserRecord {
  if (!isRole(row.role)) throw new Error(`user ${row.id} has an unknown role ${row.role}`);
  return { id: row.id, username: row.username, role: row.role, slack_user_id: row.slack_user_id, created_at: row.created_at, updated_at: row.updated_at };
}
