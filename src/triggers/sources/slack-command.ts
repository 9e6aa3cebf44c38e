import { Type, type Static } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { NO_HANDLE, type TriggerSource } from '../trigger-source.js';
import { parseSlashCommand } from './slack-command-text.js';

export const SlackCommandConfigSchema = Type.Object({
  /** What people type after `/itw run`: `/itw run restart-web env=prod`. Unique across active workflows. */
  name: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
});
export type SlackCommandConfig = Static<typeof SlackCommandConfigSchema>;

/** Route key of a command name: case does not matter in Slack. */
export const slackCommandKey = (name: string): string => name.toLowerCase();

const field = (form: URLSearchParams, name: string): string | null => {
  const v = form.get(name);
  return v === null || v === '' ? null : v;
};

/**
 * `/itw run <name> key=value ...` from Slack (ChatOps, docs/CHATOPS.md). Only workflows with this
 * trigger can be run from Slack. POST /slack/commands (api/routes/slack.ts) verifies the request
 * with the Slack app's signing secret and resolves the Slack user to the user mapped to them (the
 * request's `principal`) before handing it here; this turns the command into the run's input.
 */
export const slackCommandSource: TriggerSource = {
  type: 'slack_command',
  configSchema: SlackCommandConfigSchema,
  routeKeys: (config) => ({ keys: [slackCommandKey((config as SlackCommandConfig).name)], exclusive: true }),
  start: () => Promise.resolve(NO_HANDLE),
  async handle(req, targets) {
    const target = targets[0];
    if (!target) throw new ItwError('not_found', 'no workflow can be run from Slack under this name');
    if (!req.principal) throw new ItwError('unauthorized', 'a slash command runs as the user mapped to its Slack user');
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const command = parseSlashCommand(form.get('text') ?? '');
    if (command.kind !== 'run') throw new ItwError('bad_request', 'not a run command');
    const input = {
      args: command.args,
      user: req.principal.name,
      slack: {
        user_id: field(form, 'user_id'), user_name: field(form, 'user_name'), channel_id: field(form, 'channel_id'),
        team_id: field(form, 'team_id'), command: field(form, 'command'),
      },
    };
    // trigger_id is unique per invocation: a request Slack retries starts nothing new.
    const triggerId = field(form, 'trigger_id');
    const fired = await target.ctx.fire({ input, key: triggerId !== null ? `slack:${triggerId}` : null });
    // Held by the trigger's debounce or over its rate limit: Slack still wants a 200 with a message.
    if (!fired.execution) {
      const why = fired.debounced ? `held: it starts once no other request came for the trigger's debounce window` : 'not started: the trigger is over its rate limit';
      return { status: 200, body: { response_type: 'ephemeral', text: `*${command.workflow}* ${why}.` } };
    }
    return {
      status: 200,
      headers: { 'x-itw-execution-id': fired.execution.id, ...(fired.duplicate ? { 'x-itw-duplicate': 'true' } : {}) },
      body: {
        response_type: 'in_channel',
        text: `${req.principal.name} started *${command.workflow}* (${fired.execution.id})${fired.duplicate ? ' (already started)' : ''}`,
      },
    };
  },
};
