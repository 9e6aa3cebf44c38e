import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ActionCatalog, ActionServices } from '../actions/define-action.js';
import type { NodeContext, NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

const CHANNELS = ['slack', 'email', 'sms', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const notificationSpec: NodeTypeSpec = {
  type: 'notification',
  label: 'Notification',
  description: 'Sends a message on Slack, email, SMS or a webhook, through the matching action.',
  configSchema: Type.Object(
    {
      channel: Type.Union(CHANNELS.map((c) => Type.Literal(c)), { description: 'slack, email, sms or webhook' }),
      message: Type.String({ minLength: 1, description: 'Templates allowed' }),
      credential_id: Type.Optional(Type.String({ minLength: 1, description: 'slack, smtp or twilio credential' })),
      to: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))], { description: 'email address(es) or E.164 phone number' })),
      subject: Type.Optional(Type.String({ description: 'email subject' })),
      slack_channel: Type.Optional(Type.String({ description: 'Slack channel for bot tokens, e.g. #incidents' })),
      url: Type.Optional(Type.String({ description: 'webhook URL' })),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  available: true,
};

/** The action a channel goes through, and its params from the node's config. */
export function notificationRoute(channel: Channel, c: Readonly<Record<string, unknown>>): { action: string; params: Record<string, unknown> } {
  const message = String(c['message']);
  const cred = c['credential_id'] === undefined ? {} : { credential_id: c['credential_id'] };
  switch (channel) {
    case 'slack':
      return { action: 'send_slack', params: { ...cred, text: message, ...(c['slack_channel'] ? { channel: c['slack_channel'] } : {}) } };
    case 'email':
      return { action: 'send_email', params: { ...cred, to: c['to'], subject: c['subject'] ?? message.split('\n')[0]!.slice(0, 120), text: message } };
    case 'sms':
      return { action: 'send_sms', params: { ...cred, to: c['to'], body: message } };
    case 'webhook':
      return { action: 'http_request', params: { method: 'POST', url: c['url'], body: { message } } };
    default: {
      const never: never = channel;
      throw new NonRetryableError('invalid_config', `unknown channel ${String(never)}`);
    }
  }
}

export function notificationNode(actions: ActionCatalog, services: ActionServices): NodeHandler {
  return {
    spec: notificationSpec,
    inline: false,
    async run(ctx: NodeContext) {
      const channel = ctx.config['channel'] as Channel;
      const { action: id, params } = notificationRoute(channel, ctx.config);
      const action = actions.get(id);
      if (!action) throw new NonRetryableError('unknown_action', `notification channel ${channel} needs action "${id}", which is not in the catalogue`);
      const first = Value.Errors(action.params, params).First();
      if (first) throw new NonRetryableError('invalid_params', `notification on ${channel}: ${first.path || '/'} ${first.message}`, { details: { path: first.path } });
      const output = await action.run({ params, log: ctx.log, signal: ctx.signal, idempotencyKey: ctx.idempotencyKey, credentials: ctx.credentials, services });
      return { kind: 'done', output: { channel, result: output ?? null }, handle: 'out' };
    },
  };
}
