import { parseArgs } from 'node:util';
import { NotFoundError } from '../model/errors.js';
import { isRole, ROLES, type Role } from '../model/roles.js';
import { PASSWORD_MIN, SLACK_USER_ID_PATTERN, usernameProblem } from '../model/user-rules.js';
import { withRepositories } from './apikey-command.js';
import type { CliIo } from './io.js';
import { USER_HELP } from './help-texts.js';

const SLACK_USER_ID = new RegExp(SLACK_USER_ID_PATTERN);

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
      const problem = usernameProblem(username);
      if (problem !== undefined) return io.err(`itw user create: --username ${problem}`), 2;
      if (!isRole(values.role)) return io.err(`itw user create: --role must be one of ${ROLES.join(', ')}`), 2;
      const role = values.role;
      const slackUserId = values['slack-user-id'];
      if (slackUserId !== undefined && !SLACK_USER_ID.test(slackUserId)) return io.err('itw user create: --slack-user-id must be a Slack member id such as U024BE7LH'), 2;
      const password = await io.readSecret(`password for ${username}: `);
      if (password.length < PASSWORD_MIN) return io.err(`itw user create: the password must have at least ${PASSWORD_MIN} characters`), 2;
      const user = await withRepositories(io, values['data-dir'], (r) => r.users.create({ username, password, role, slack_user_id: slackUserId ?? null }));
      io.out(`created user ${user.username} (${user.id}, ${user.role}${user.slack_user_id ? `, Slack ${user.slack_user_id}` : ''})`);
      return 0;
    }
    case 'set-role':
    case 'set-password': {
      const username = values.username;
      if (!username) return io.err(`itw user ${positionals[0]}: --username is required`), 2;
      const setRole = positionals[0] === 'set-role';
      if (setRole && !isRole(values.role)) return io.err(`itw user set-role: --role must be one of ${ROLES.join(', ')}`), 2;
      const password = setRole ? undefined : await io.readSecret(`new password for ${username}: `);
      if (password !== undefined && password.length < PASSWORD_MIN) return io.err(`itw user set-password: the password must have at least ${PASSWORD_MIN} characters`), 2;
      const user = await withRepositories(io, values['data-dir'], async (r) => {
        const found = await r.users.byUsername(username);
        if (!found) throw new NotFoundError('user', username);
        return r.users.update(found.id, setRole ? { role: values.role as Role } : { password });
      });
      io.out(setRole ? `${user.username} is now ${user.role}` : `password of ${user.username} changed; their sessions are ended`);
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
