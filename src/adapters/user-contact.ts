import type { UserRecord } from '../store/user-repository.js';
import type { UserContact } from './action-notifier.js';

/** What a `user` escalation target needs from the users table. */
export interface UserLookup {
  get(id: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
}

// A plain address; the SMTP server has the last word on whether it exists.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * How a `user` target (a user id or username) is reached: the users table holds a username and no
 * other contact fields, so a user is paged by e-mail when the username is an e-mail address, and
 * is unreachable (`no_contact`) otherwise.
 */
export function userContactFrom(users: UserLookup): (user: string) => Promise<UserContact | undefined> {
  return async (user) => {
    const record = (await users.get(user)) ?? (await users.list()).find((u) => u.username === user);
    if (record === undefined || !EMAIL.test(record.username)) return undefined;
    return { email: record.username };
  };
}
