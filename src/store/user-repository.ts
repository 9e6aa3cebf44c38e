import type { ExpressionBuilder, Kysely } from 'kysely';
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

  async byUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  /** The user a Slack user id is mapped to (ChatOps acts as them). */
  async bySlackUserId(slackUserId: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('slack_user_id', '=', slackUserId).executeTakeFirst();
    return row && toUser(row);
  }

  /**
   * Changes what is given, together: the role (never the last admin's away from admin), the password
   * (every session of the user ends: whoever held one must log in with the new one) and the Slack
   * user who acts as them (null unmaps; one Slack user maps to one user).
   */
  async update(id: string, changes: { role?: Role | undefined; password?: string | undefined; slack_user_id?: string | null | undefined }): Promise<UserRecord> {
    if (changes.password !== undefined && changes.password.length < MIN_PASSWORD) {
      throw new ItwError('validation', `password must have at least ${MIN_PASSWORD} characters`, { details: { errors: [{ path: '/password', message: `must have at least ${MIN_PASSWORD} characters` }] } });
    }
    const hash = changes.password === undefined ? undefined : await hashPassword(changes.password);
    if (!(await this.get(id))) throw new NotFoundError('user', id);
    try {
      await this.db.transaction().execute(async (trx) => {
        const at = this.now();
        if (changes.role !== undefined) {
          let q = trx.updateTable('users').set({ role: changes.role, updated_at: at }).where('id', '=', id);
          if (changes.role !== 'admin') q = q.where((eb) => eb.or([eb('role', '!=', 'admin'), notLastAdmin(eb)]));
          const r = await q.executeTakeFirst();
          if (r.numUpdatedRows === 0n) throw new ConflictError('this is the last admin: make another user admin first');
        }
        if (hash !== undefined) {
          await trx.updateTable('users').set({ password_hash: hash, updated_at: at }).where('id', '=', id).execute();
          await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        }
        if (changes.slack_user_id !== undefined) {
          await trx.updateTable('users').set({ slack_user_id: changes.slack_user_id, updated_at: at }).where('id', '=', id).execute();
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`Slack user ${String(changes.slack_user_id)} is already mapped to another user`);
      throw err;
    }
    return (await this.get(id))!;
  }

  /** Deletes a user, never the last admin (nobody could then manage users or keys from the UI). */
  async delete(id: string): Promise<void> {
    const result = await this.db.deleteFrom('users').where('id', '=', id)
      .where((eb) => eb.or([eb('role', '!=', 'admin'), notLastAdmin(eb)]))
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

/** More than one admin (the row being changed among them): it may stop being one. */
function notLastAdmin(eb: ExpressionBuilder<Database, 'users'>) {
  return eb(eb.selectFrom('users as a').select((a) => a.fn.countAll<number>().as('n')).where('a.role', '=', 'admin'), '>', 1);
}
