import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, type Recorded } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { nodeParams } from '../../../test/support/node-params.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { EgressGuard } from '../http/egress-guard.js';
import { sendTeamsAction } from './send-teams-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendTeamsAction.run>[0]['params'];

const HOOK = '/webhookb2/0a1b2c3d-tenant@tenant/IncomingWebhook/5ecre7hooksecret/owner';
const FLOW = '/workflows/f10wsecret0123/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=S1gN4tur3s3cr3t';

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}

/** A connector webhook (200 "1", or 200 with a delivery failure text) and a Workflows trigger (202); 400 on a bad card. */
function teams(req: Recorded, res: ServerResponse): void {
  if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json') return text(res, 415, 'Unsupported Media Type');
  const msg = JSON.parse(req.body) as { type?: string; attachments?: Array<{ contentType?: string; content?: { type?: string; version?: string; body?: unknown[] } }> };
  const card = msg.attachments?.[0];
  const valid = msg.type === 'message' && card?.contentType === 'application/vnd.microsoft.card.adaptive' && card.content?.type === 'AdaptiveCard' && Array.isArray(card.content.body);
  if (!valid) return text(res, 400, 'Bad payload received by generic incoming webhook.');
  if (req.url === HOOK) return text(res, 200, '1');
  if (req.url === FLOW) return text(res, 202, '');
  if (req.url === '/webhookb2/busy/IncomingWebhook/busysecret0001/owner') return text(res, 200, 'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0.');
  if (req.url === '/webhookb2/down/IncomingWebhook/downsecret0001/owner') return text(res, 503, 'Service Unavailable');
  text(res, 404, 'Webhook not found');
}

let api: Awaited<ReturnType<typeof httpFixture>>;
let creds: ResolvedCredential[];

beforeAll(async () => {
  api = await httpFixture(teams);
  const hook = (id: string, path: string): ResolvedCredential => ({ id, type: 'teams', data: { webhook_url: `${api.url}${path}` } });
  creds = [
    hook('hook', HOOK), hook('flow', FLOW), hook('gone', '/webhookb2/gone/IncomingWebhook/gonesecret0001/owner'),
    hook('busy', '/webhookb2/busy/IncomingWebhook/busysecret0001/owner'), hook('down', '/webhookb2/down/IncomingWebhook/downsecret0001/owner'),
    { id: 'slack', type: 'slack', data: { webhook_url: `${api.url}/x` } },
  ];
});
afterAll(() => api.close());

function run(params: Params, services = testServices()) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: Promise.resolve().then(() => sendTeamsAction.run({ ...ctx, params: nodeParams(sendTeamsAction, params) })) };
}
const last = () => api.requests[api.requests.length - 1]!;

describe('send_teams', () => {
  it('posts an Adaptive Card message with title, text, facts and OpenUrl actions', async () => {
    const { result, lines } = run({
      credential_id: 'hook', title: 'db1 down', text: 'Primary **database** stopped answering',
      facts: [{ title: 'Severity', value: 'critical' }], actions: [{ title: 'Runbook', url: 'https://runbooks.example.com/db1' }],
    });
    const out = await result;
    expect(Value.Check(sendTeamsAction.output, out)).toBe(true);
    expect(out).toEqual({ ok: true, status: 200 });
    expect(last()).toMatchObject({ method: 'POST', url: HOOK });
    expect(JSON.parse(last().body)).toEqual({
      type: 'message',
      attachments: [{
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4',
          body: [
            { type: 'TextBlock', text: 'db1 down', weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: 'Primary **database** stopped answering', wrap: true },
            { type: 'FactSet', facts: [{ title: 'Severity', value: 'critical' }] },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Runbook', url: 'https://runbooks.example.com/db1' }],
        },
      }],
    });
    expect(JSON.stringify(lines)).not.toContain('5ecre7hooksecret');
  });

  it('takes a Workflows URL (202, signature in the query)', async () => {
    await expect(run({ credential_id: 'flow', text: 'hi' }).result).resolves.toEqual({ ok: true, status: 202 });
    expect(last().url).toBe(FLOW);
  });

  it('fails on 404 and 5xx without naming the webhook secret; a 200 "delivery failed ... 429" is retryable', async () => {
    const gone = (await run({ credential_id: 'gone', text: 'hi' }).result.catch((e: unknown) => e)) as NonRetryableError;
    expect(gone).toBeInstanceOf(NonRetryableError);
    expect(gone).toMatchObject({ code: 'teams_not_found', message: 'Teams webhook answered HTTP 404: Webhook not found' });
    const busy = (await run({ credential_id: 'busy', text: 'hi' }).result.catch((e: unknown) => e)) as RetryableError;
    expect(busy).toBeInstanceOf(RetryableError);
    expect(busy.code).toBe('teams_rate_limited');
    await expect(run({ credential_id: 'down', text: 'hi' }).result).rejects.toMatchObject({ code: 'teams_unavailable', retryable: true });
  });

  it('keeps the webhook secret out of a network error', async () => {
    const closed = await httpFixture(() => undefined);
    await closed.close();
    const { ctx } = testContext({ credential_id: 'c', text: 'hi' }, [{ id: 'c', type: 'teams', data: { webhook_url: `${closed.url}${HOOK}` } }]);
    const err = (await sendTeamsAction.run(ctx).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'network_error' });
    expect(err.message).not.toContain('5ecre7hooksecret');
  });

  it('sends nothing where the egress policy refuses, nor with another type of credential', async () => {
    const before = api.requests.length;
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ credential_id: 'hook', text: 'hi' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
    await expect(run({ credential_id: 'slack', text: 'hi' }).result).rejects.toMatchObject({ code: 'credential_type' });
    expect(api.requests).toHaveLength(before);
  });

  it.each([
    [{ text: '' }, '/text'],
    [{ actions: [{ title: 'x', url: 'javascript:alert(1)' }] }, '/actions/0/url'],
    [{ facts: [{ title: 'x' }] }, '/facts/0/value'],
    [{ webhook_url: 'https://evil.example.com' }, '/webhook_url'],
  ])('schema refuses %j at %s', (change, path) => {
    expect([...Value.Errors(sendTeamsAction.params, { credential_id: 'hook', text: 'hi', ...change })].map((e) => e.path)).toContain(path);
  });

  it('plans without the URL', () => {
    expect(sendTeamsAction.plan?.(testContext({ credential_id: 'hook', title: 'db1 down', text: 'look', actions: [{ title: 'a', url: 'https://x' }] }).ctx)).toBe(
      'post a Teams card "db1 down": "look" with 1 link button(s)',
    );
  });
});
