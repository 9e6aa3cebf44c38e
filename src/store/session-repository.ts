import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../model/ids.js';
import { isRole, type Role } from '../model/roles.js';
import type { Database } from './schema.js';
import { hashToken, newSecret } from './secrets.js';

export interface SessionRecord {
  readonly id: string;
  readonly user_id: string;
  readonly username: string;
  readonly role: Role;
  readonly csrf_token: string;
  readonly expires_at: number;
}

/** Login sessions: the cookie carries a random token, the row its sha256. */
export class SessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string, ttlMs: number): Promise<{ token: string; csrf_token: string; expires_at: number }> {
    const token = newSecret('itws');
    const csrf = randomBytes(32).toString('base64url');
    const at = this.now();
    const expires = at + ttlMs;
    // Expired rows of anyone are swept here rather than by a timer: logins are rare and this is cheap.
    await this.db.deleteFrom('sessions').where('expires_at', '<=', at).execute();
    await this.db
      .insertInto('sessions')
      .values({ id: newId('sess'), token_hash: hashToken(token), user_id: userId, csrf_token: csrf, created_at: at, expires_at: expires })
      .execute();
    return { token, csrf_token: csrf, expires_at: expires };
  }

  async findByToken(token: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id', 'sessions.user_id', 'users.username', 'users.role', 'sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', this.now())
      .executeTakeFirst();
    if (!row || !isRole(row.role)) return undefined;
    return { ...row, role: row.role };
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }
}
