/**
 * The API's rules for users (src/api/routes/admin.ts), as HTML constraint attributes, so the browser
 * refuses a bad value before sending it and the hints say what the server will accept. The server
 * stays the judge: its 400/409 answers are shown as they come.
 *
 * `pattern` attributes compile with the `v` flag (anchored whole-value match), where a literal `-`
 * in a character class must be escaped: hence `\-` below, which the server's pattern does not need.
 */
export const USERNAME_PATTERN = String.raw`[A-Za-z0-9._@\-]+`;
export const USERNAME_MAX = 200;
export const PASSWORD_MIN = 8;
/** Slack member ids look like U024BE7LH (W… on Enterprise Grid). */
export const SLACK_ID_PATTERN = '[UW][A-Z0-9]{2,30}';

export const HINTS = {
  username: 'Letters, digits and . _ @ - (up to 200).',
  password: `At least ${PASSWORD_MIN} characters.`,
  slack: 'Optional. U… or W… in capitals, e.g. U024BE7LH (Slack profile → ⋮ → Copy member ID).',
} as const;

/** Read by the browser's "match the requested format" message. */
export const SLACK_ID_TITLE = 'A Slack member id: U or W, then 2 to 30 capital letters or digits (e.g. U024BE7LH)';
export const USERNAME_TITLE = 'Letters, digits and . _ @ - only';
