import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { runResultText } from '../../chatops/run-result.js';
import { parseSlashCommand, SLASH_USAGE } from '../../triggers/sources/slack-command-text.js';
import { SlackForm } from '../../chatops/slack-form.js';
import { approvalClick, type SlackActor } from '../../chatops/slack-interaction.js';
import { verifySlackSignature } from '../../chatops/slack-signature.js';
import type { ExecutionRecord } from '../../engine/store-port.js';
import { ItwError } from '../../model/errors.js';
import { roleAtLeast } from '../../model/roles.js';
import { AuditLog } from '../../store/audit-log.js';
import { INGRESS_SECURITY_HEADERS } from '../../triggers/ingress-response-headers.js';
import { ReplayCache } from '../../triggers/replay-cache.js';
import type { IngressRequest } from '../../triggers/trigger-source.js';
import { slackCommandKey } from '../../triggers/sources/slack-command.js';
import { problems } from '../schemas/common.js';
import { ApprovalAnswers } from '../services/approval-answers.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['chatops'];
/** A response_url works for 30 minutes: a run still going by then is reported as such. */
const RESULT_WAIT_MS = 29 * 60_000;

type Ephemeral = { response_type: 'ephemeral' | 'in_channel'; text: string };
const ephemeral = (text: string): Ephemeral => ({ response_type: 'ephemeral', text });

/**
 * Slack's callbacks (ChatOps, docs/CHATOPS.md): approval buttons and the `/itw` slash command.
 * Public like trigger ingress, and like it kept in its own scope whose only body parser keeps the
 * raw bytes, because the signature covers exactly those. Every request is verified with the Slack
 * app's signing secret (5-minute window, replays refused) before anything is read from it; then the
 * Slack user acts as the user mapped to them (users.slack_user_id), with that user's role.
 */
export function slackRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;
  const answers = new ApprovalAnswers(app);
  const audit = new AuditLog(app.store.db, () => app.store.settleEffects());
  const replays = new ReplayCache();

  const refuse = async (req: FastifyRequest, slackUserId: string, reason: string, resource: string | null) => {
    req.log.warn({ slack_user_id: slackUserId, reason }, 'Slack request refused');
    await audit.append({ ts: Date.now(), actor: `slack:${slackUserId}`, action: 'slack.refused', resource_type: 'slack', resource_id: resource, details: { reason } })
      .catch((err: unknown) => req.log.error({ err }, 'audit: could not record a Slack refusal'));
  };

  /** What a Slack user did, under the user they act as (the request itself is audited without a principal). */
  const record = async (req: FastifyRequest, who: SlackActor, action: string, resource: { type: string; id: string }, details: Record<string, unknown>) => {
    await audit.append({ ts: Date.now(), actor: `user:${who.username}`, action, resource_type: resource.type, resource_id: resource.id, details: { via: 'slack', ...details } })
      .catch((err: unknown) => req.log.error({ err }, 'audit: could not record a Slack action'));
  };

  async function verified(req: FastifyRequest): Promise<SlackForm> {
    if (!app.slack.enabled) throw new ItwError('not_found', 'Slack ChatOps is not configured on this server (ITW_SLACK_CREDENTIAL)');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let secret: string;
    try {
      secret = await app.slack.signingSecret();
    } catch (err) {
      // The server's set-up, not the caller's request, is wrong: the details go to the log only.
      req.log.error({ err }, 'Slack ChatOps credential unusable (ITW_SLACK_CREDENTIAL)');
      throw new ItwError('unavailable', 'Slack ChatOps is misconfigured on this server (see its log)');
    }
    verifySlackSignature(secret, { headers, rawBody: raw }, Date.now(), replays);
    return new SlackForm(raw);
  }

  function toIngress(req: FastifyRequest, principal: IngressRequest['principal']): IngressRequest {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { method: req.method, path: 'commands', headers, query: {}, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), principal };
  }

  async function actor(slackUserId: string): Promise<SlackActor | undefined> {
    const u = await app.repos.users.bySlackUserId(slackUserId);
    return u && { id: u.id, username: u.username, role: u.role };
  }

  /** Best effort: a message Slack never shows is logged, and changes nothing already done. */
  async function tell(req: FastifyRequest, responseUrl: string | undefined, text: string, type: 'ephemeral' | 'in_channel' = 'ephemeral'): Promise<void> {
    if (responseUrl === undefined) return;
    await app.slack.respond(responseUrl, { response_type: type, replace_original: false, text })
      .catch((err: unknown) => req.log.warn({ err }, 'Slack response_url post failed'));
  }

  void f.register((scope: FastifyInstance, _opts, done) => {
    scope.addHook('onSend', async (_req, reply, payload) => {
      for (const [k, v] of Object.entries(INGRESS_SECURITY_HEADERS)) void reply.header(k, v);
      return payload;
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, next) => next(null, body));

    scope.post('/slack/interactions', {
      schema: {
        tags, security: [],
        summary: 'Slack interactivity callback: Approve / Reject buttons of approvals posted to Slack (signed with the app\'s signing secret)',
        response: { 200: Type.Null(), ...problems(400, 401, 404, 503) },
      },
      config: { public: true },
    }, async (req: FastifyRequest, reply: FastifyReply) => {
      const click = approvalClick(await verified(req));
      if (click === undefined) return reply.code(200).send();
      const who = await actor(click.slack_user_id);
      if (who === undefined) {
        await refuse(req, click.slack_user_id, 'Slack user not mapped to a user', click.run_id);
        await tell(req, click.response_url, 'Your Slack user is not linked to an iTechSmart Workflow user, so you cannot answer approvals here. Ask an admin to set your slack_user_id.');
        return reply.code(200).send();
      }
      try {
        const { approval } = await answers.answer(click.run_id, click.decision, { by: who.username, who: { name: who.username, role: who.role } });
        req.log.info({ execution_id: approval.execution_id, node_id: approval.node_id, decision: click.decision, by: who.username, via: 'slack' }, 'approval answered');
        await record(req, who, 'approval.answered', { type: 'approvals', id: click.run_id }, { decision: click.decision, execution_id: approval.execution_id, slack_user_id: click.slack_user_id });
      } catch (err) {
        if (!(err instanceof ItwError) || !['conflict', 'forbidden', 'not_found'].includes(err.code)) throw err;
        if (err.code === 'forbidden') await refuse(req, click.slack_user_id, err.message, click.run_id);
        const verb = click.decision === 'approved' ? 'approve' : 'reject';
        await tell(req, click.response_url, err.code === 'conflict' ? `This approval was already answered: ${err.message}` : `You cannot ${verb} this approval: ${err.message}`);
      }
      return reply.code(200).send();
    });

    scope.post('/slack/commands', {
      schema: {
        tags, security: [],
        summary: 'Slack slash command `/itw run <workflow> key=value ...` (signed): starts a workflow with a slack_command trigger for a mapped operator',
        response: { 200: Type.Object({ response_type: Type.String(), text: Type.String() }), ...problems(400, 401, 404, 503) },
      },
      config: { public: true },
    }, async (req: FastifyRequest) => {
      const form = await verified(req);
      // Slack checks the certificate now and then with a signed `ssl_check=1` and no command.
      if (form.optional('ssl_check') === '1') return ephemeral('');
      const slackUserId = form.required('user_id');
      const responseUrl = form.optional('response_url');
      const command = parseSlashCommand(form.optional('text') ?? '');
      if (command.kind === 'help') return ephemeral(SLASH_USAGE);
      if (command.kind === 'invalid') return ephemeral(command.message);
      const who = await actor(slackUserId);
      if (who === undefined) {
        await refuse(req, slackUserId, 'Slack user not mapped to a user', command.workflow);
        return ephemeral('Your Slack user is not linked to an iTechSmart Workflow user. Ask an admin to set your slack_user_id.');
      }
      if (!roleAtLeast(who.role, 'operator')) {
        await refuse(req, slackUserId, `${who.username} is a ${who.role}: running workflows takes an operator`, command.workflow);
        return ephemeral(`${who.username} is a ${who.role}: running workflows takes the operator role.`);
      }
      const target = app.triggers.targets('slack_command', slackCommandKey(command.workflow))[0];
      if (target === undefined) {
        await refuse(req, slackUserId, `no active workflow with a slack_command trigger named ${command.workflow}`, command.workflow);
        return ephemeral(`No active workflow can be run from Slack as \`${command.workflow.slice(0, 80)}\` (it needs a slack_command trigger with that name).`);
      }
      const source = app.triggers.source('slack_command');
      if (!source?.handle) throw new ItwError('not_found', 'the slack_command trigger is not available');
      const started = await source.handle(toIngress(req, { id: who.id, name: who.username, role: who.role }), [target]);
      const executionId = started.headers?.['x-itw-execution-id'];
      if (executionId !== undefined && started.headers?.['x-itw-duplicate'] === undefined) {
        req.log.info({ execution_id: executionId, by: who.username, via: 'slack' }, 'workflow started from Slack');
        await record(req, who, 'slack.command', { type: 'executions', id: executionId }, { workflow_id: target.binding.workflowId, slack_user_id: slackUserId });
        void reportResult(req, target.ctx.waitForResult(executionId).then((r) => r.execution), command.workflow, who.username, responseUrl, executionId);
      }
      return started.body;
    });

    done();
  });

  async function reportResult(req: FastifyRequest, final: Promise<ExecutionRecord>, workflow: string, by: string, responseUrl: string | undefined, id: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), RESULT_WAIT_MS); timer.unref(); });
    try {
      const done = await Promise.race([final, late]);
      await tell(req, responseUrl, done ? runResultText(workflow, done, by) : `*${workflow}* (${id}) is still running; its result is in the UI.`, 'in_channel');
    } catch (err) {
      req.log.warn({ err, execution_id: id }, 'Slack run result not reported');
    } finally {
      clearTimeout(timer);
    }
  }
}


