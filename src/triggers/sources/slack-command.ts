import { Type, type Static } from '@sinclair/typebox';
import { NO_HANDLE, type TriggerSource } from '../trigger-source.js';

export const SlackCommandConfigSchema = Type.Object({
  /** What people type after `/itw run`: `/itw run restart-web env=prod`. Unique across active workflows. */
  name: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
});
export type SlackCommandConfig = Static<typeof SlackCommandConfigSchema>;

/** Route key of a command name: case does not matter in Slack. */
export const slackCommandKey = (name: string): string => name.toLowerCase();

/**
 * `/itw run <name> key=value ...` from Slack (ChatOps, docs/CHATOPS.md). Only workflows with this
 * trigger can be run from Slack; the request is verified with the Slack app's signing secret and
 * answered by POST /slack/commands (api/routes/slack.ts), so nothing listens here.
 */
export const slackCommandSource: TriggerSource = {
  type: 'slack_command',
  configSchema: SlackCommandConfigSchema,
  routeKeys: (config) => ({ keys: [slackCommandKey((config as SlackCommandConfig).name)], exclusive: true }),
  start: () => Promise.resolve(NO_HANDLE),
};
