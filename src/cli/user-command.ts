import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../model/roles.js';
import { withRepositories } from './apikey-command.js';
import type { CliIo } from './io.js';
import { USER_HELP } from './help-texts.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export async function userCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: { username: { type: 'string' }, role: { type: 'string' }, 'slack-user-id': { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return io.out(USER_HELP), 0;
  switch (positionals[0]) {
    case 'create': {
      const username = values.username;
      if (!username) return io.err('itw user create: --username is required'), 2;
      if (!isRole(values.role)) return io.err(`itw user create: --role must be one of ${ROLES.join(', ')}`), 2;
      const role = values.role;
      const slackUserId = values['slack-user-id'];
      if (slackUserId !== undefined && !SLACK_USER_ID.test(slackUserId)) return io.err('itw user create: --slack-user-id must be a Slack member id such as U024BE7LH'), 2;
      const password = await io.readSecret(`password for ${username}: `);
      if (password.length < 8) return io.err('itw user create: the password must have at least 8 characters'), 2;
      const user = await withRepositories(io, values['data-dir'], (r) => r.users.create({ username, password, role, slack_user_id: slackUserId ?? null }));
      io.out(`created user ${user.username} (${user.id}, ${user.role}${user.slack_user_id ? `, Slack ${user.slack_user_id}` : ''})`);
      return 0;
    }
    case 'list': {
      const users = await withRepositories(io, values['data-dir'], (r) => r.users.list());
      for (const u of users) io.out(`${u.id}  ${u.role.padEnd(8)}  ${u.username}${u.slack_user_id ? `  slack:${u.slack_user_id}` : ''}`);
      return 0;
    }
    default:
      io.err(USER_HELP);
      return 2;
  }
}
