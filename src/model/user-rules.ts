/**
 * What a user's fields may be, one rule for every way in (the setup page, the admin API, `itw user`):
 * a username stays printable everywhere it is shown (UI, audit log, Slack messages, logs).
 */
export const USERNAME_PATTERN = '^[A-Za-z0-9._@-]+$';
export const USERNAME_MAX = 200;
export const PASSWORD_MIN = 8;
/** Slack member ids look like U024BE7LH (W... on Enterprise Grid). */
export const SLACK_USER_ID_PATTERN = '^[UW][A-Z0-9]{2,30}$';

/** Why `username` is refused, or undefined when it is fine. */
export function usernameProblem(username: string): string | undefined {
  if (username.length === 0 || username.length > USERNAME_MAX) return `must have 1 to ${USERNAME_MAX} characters`;
  if (!new RegExp(USERNAME_PATTERN).test(username)) return 'may hold only letters, digits and . _ @ -';
  return undefined;
}
