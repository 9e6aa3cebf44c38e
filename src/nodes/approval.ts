import { Type } from '@sinclair/typebox';
import type { ActionCatalog } from '../actions/define-action.js';
import type { NodeContext, NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';
import { actionCodeFields, actionParams } from './action.js';
import { resolveWherePossible } from './dry-run-resolve.js';

export const approvalSpec: NodeTypeSpec = {
  type: 'approval',
  label: 'Approval',
  description:
    'Waits durably for a person to approve or reject (API, UI, a signed link or Slack buttons); fires `timeout` when nobody answers in time.',
  configSchema: Type.Object(
    {
      message: Type.String({ minLength: 1, description: 'What the approver is asked; templates allowed' }),
      approvers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Usernames allowed to answer; empty = any operator' })),
      timeout_seconds: Type.Optional(Type.Number({ minimum: 0, default: 86_400, description: '0 = wait forever' })),
      slack_channel: Type.Optional(Type.String({
        minLength: 1, maxLength: 200,
        description: 'Also post it to this Slack channel (id or #name) with Approve / Reject buttons (ChatOps, docs/CHATOPS.md)',
      })),
    },
    { additionalProperties: false },
  ),
  handles: ['approved', 'rejected', 'timeout'],
  defaultHandle: undefined,
  expressionFields: [],
  available: true,
};

/** What the approved path will do, from each next action's `plan`, so the approver sees it. */
async function plans(ctx: NodeContext, actions: ActionCatalog): Promise<string[]> {
  const out: string[] = [];
  for (const node of ctx.next('approved')) {
    if (node.node_type !== 'action') {
      out.push(`${node.label ?? node.id} (${node.node_type})`);
      continue;
    }
    const action = actions.get(String(node.config['action_type']));
    try {
      const code = actionCodeFields(node.config, action).map((f) => f.path);
      // Templates that cannot be filled in before the step runs (`$error`, a later step's output) stay as written, not empty.
      const params = actionParams(await resolveWherePossible(node.config, [], ctx.bindings, code));
      const text = action?.plan ? await action.plan({ params: params, log: ctx.log, idempotencyKey: ctx.idempotencyKey }) : undefined;
      out.push(text ?? `${node.label ?? node.id}: ${String(node.config['action_type'])}`);
    } catch {
      out.push(`${node.label ?? node.id}: ${String(node.config['action_type'])}`);
    }
  }
  return out;
}

export function approvalNode(actions: ActionCatalog): NodeHandler {
  return {
    spec: approvalSpec,
    // No I/O: asking costs one inline step; the wait itself is durable state, not a held lease.
    inline: true,
    async run(ctx) {
      const timeout = typeof ctx.config['timeout_seconds'] === 'number' ? ctx.config['timeout_seconds'] : 86_400;
      const approvers = Array.isArray(ctx.config['approvers']) ? (ctx.config['approvers'] as string[]) : [];
      const slack = typeof ctx.config['slack_channel'] === 'string' ? { slack_channel: ctx.config['slack_channel'] } : {};
      return {
        kind: 'signal',
        until: timeout > 0 ? ctx.now() + timeout * 1000 : null,
        timeoutHandle: 'timeout',
        waiting: { kind: 'approval', message: String(ctx.config['message']), approvers, plan: await plans(ctx, actions), ...slack },
      };
    },
  };
}
