import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import { testServices } from '../../../test/support/loopback-egress.js';
import { type Daemon, startAlertmanager } from '../../../test/support/prom-daemons.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { EgressGuard } from '../http/egress-guard.js';
import { testContext } from '../communication/test-context.js';
import { alertmanagerSilenceAction } from './alertmanager-silence-action.js';

type Params = Parameters<typeof alertmanagerSilenceAction.run>[0]['params'];

// A real Alertmanager on loopback (test/support/prom-daemons.ts).
let am: Daemon;
const TOKEN = 'am-proxy-token-0123456789';
const creds: ResolvedCredential[] = [{ id: 'proxy', type: 'http_bearer', data: { token: TOKEN }, allowed_hosts: ['127.0.0.1'] }];

beforeAll(async () => {
  am = await startAlertmanager();
}, 60_000);

afterAll(() => am?.close());

function run(params: Omit<Params, 'base_url'> & { base_url?: string }, services = testServices()) {
  const { ctx, lines } = testContext({ base_url: am.url, ...params }, creds, services);
  return { lines, result: alertmanagerSilenceAction.run(ctx) };
}

async function silence(id: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${am.url}/api/v2/silence/${id}`)).json()) as Record<string, unknown>;
}

describe('alertmanager_silence (real Alertmanager, API v2)', () => {
  it('creates a silence with matchers, author and comment, then expires it', async () => {
    const created = await run({
      matchers: [{ name: 'alertname', value: 'DiskFull' }, { name: 'instance', value: 'db-[12]', is_regex: true }, { name: 'env', value: 'dev', is_equal: false }],
      duration_minutes: 60,
      comment: 'maintenance window CHG-42',
    }).result;
    expect(Value.Check(alertmanagerSilenceAction.output, created)).toBe(true);
    expect(Date.parse(created.ends_at!) - Date.parse(created.starts_at!)).toBe(3_600_000);
    const stored = await silence(created.silence_id);
    expect(stored).toMatchObject({
      status: { state: 'active' },
      createdBy: 'iTechSmart Workflow',
      comment: 'maintenance window CHG-42',
      matchers: expect.arrayContaining([
        { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
        { name: 'instance', value: 'db-[12]', isRegex: true, isEqual: true },
        { name: 'env', value: 'dev', isRegex: false, isEqual: false },
      ]),
    });
    expect(await run({ operation: 'expire', silence_id: created.silence_id }).result).toEqual({ silence_id: created.silence_id, operation: 'expire' });
    expect(await silence(created.silence_id)).toMatchObject({ status: { state: 'expired' } });
  });

  it('schedules a silence between starts_at and ends_at', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    const out = await run({ matchers: [{ name: 'job', value: 'node' }], starts_at: startsAt, ends_at: endsAt, comment: 'later', created_by: 'ops-bot' }).result;
    expect(await silence(out.silence_id)).toMatchObject({ status: { state: 'pending' }, startsAt, endsAt, createdBy: 'ops-bot' });
  });

  it('fails on an unknown silence id as not found (Alertmanager says 500), not retryable', async () => {
    await expect(run({ operation: 'expire', silence_id: '00000000-0000-0000-0000-000000000000' }).result).rejects.toMatchObject({ code: 'alertmanager_not_found', retryable: false });
  });

  it('fails with Alertmanager’s validation message (422)', async () => {
    await expect(run({ operation: 'expire', silence_id: 'not-a-uuid' }).result).rejects.toMatchObject({
      code: 'alertmanager_invalid',
      retryable: false,
      message: expect.stringMatching(/^Alertmanager answered HTTP 422: silenceID in path must be of type uuid/),
    });
  });
});

describe('alertmanager_silence behind an authenticating proxy (wire-checking server)', () => {
  it('sends the bearer credential and the documented body; 503 is retryable', async () => {
    const proxy = await httpFixture((req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { message: 'unauthorized' });
      if (req.method === 'POST' && req.url === '/am/api/v2/silences') return json(res, 200, { silenceID: '7f0e1a52-6a6f-4f6e-9a5e-1d1c0b0a0a01' });
      json(res, 503, 'cluster not ready');
    });
    try {
      const { result, lines } = run({ base_url: `${proxy.url}/am`, credential_id: 'proxy', matchers: [{ name: 'a', value: 'b' }], ends_at: '2099-01-01T00:00:00Z', comment: 'c' });
      const out = await result;
      expect(proxy.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.stringify([out, lines])).not.toContain(TOKEN);
      expect(out).toMatchObject({ silence_id: '7f0e1a52-6a6f-4f6e-9a5e-1d1c0b0a0a01', operation: 'create', ends_at: '2099-01-01T00:00:00.000Z' });
      const body = JSON.parse(proxy.requests[0]!.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['comment', 'createdBy', 'endsAt', 'matchers', 'startsAt']);
      expect(body).toMatchObject({ matchers: [{ name: 'a', value: 'b', isRegex: false, isEqual: true }], endsAt: '2099-01-01T00:00:00.000Z', createdBy: 'iTechSmart Workflow', comment: 'c' });
      await expect(run({ base_url: `${proxy.url}/am`, credential_id: 'proxy', operation: 'expire', silence_id: 'abc' }).result).rejects.toMatchObject({ code: 'alertmanager_unavailable', retryable: true });
      await expect(run({ base_url: `${proxy.url}/am`, operation: 'expire', silence_id: 'abc' }).result).rejects.toMatchObject({ code: 'alertmanager_auth', retryable: false });
    } finally {
      await proxy.close();
    }
  });
});

describe('alertmanager_silence attackers', () => {
  it('is refused by the egress guard for an internal address', async () => {
    const guarded = testServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) });
    await expect(run({ operation: 'expire', silence_id: 'abc' }, guarded).result).rejects.toMatchObject({ code: 'egress_denied' });
  });

  it('keeps the credential on its bound host', async () => {
    await expect(run({ base_url: am.url.replace('127.0.0.1', 'localhost'), credential_id: 'proxy', operation: 'expire', silence_id: 'abc' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ comment: 'c', duration_minutes: 5 }, '/matchers'],
    [{ matchers: [{ name: 'a', value: 'b' }], duration_minutes: 5 }, '/comment'],
    [{ matchers: [{ name: 'a', value: 'b' }], comment: 'c' }, '/ends_at'],
    [{ matchers: [{ name: 'a', value: 'b' }], comment: 'c', duration_minutes: 5, ends_at: '2099-01-01T00:00:00Z' }, '/ends_at'],
    [{ matchers: [{ name: 'a', value: 'b' }], comment: 'c', ends_at: '2000-01-01T00:00:00Z' }, '/ends_at'],
    [{ operation: 'expire' }, '/silence_id'],
  ] as const)('refuses %j before sending, naming %s', async (params, path) => {
    await expect(run(params as Params).result).rejects.toMatchObject({ code: 'invalid_params', details: { path } });
  });

  it.each([
    [{ operation: 'delete' }, '/operation'],
    [{ silence_id: '../../api/v1/alerts' }, '/silence_id'],
    [{ matchers: [] }, '/matchers'],
  ])('rejects %j at %s', (params, path) => {
    expect([...Value.Errors(alertmanagerSilenceAction.params, { base_url: 'http://am:9093', ...params })].map((e) => e.path)).toContain(path);
  });

  it('plans without sending', () => {
    const plan = alertmanagerSilenceAction.plan?.(testContext({ base_url: 'http://am:9093', matchers: [{ name: 'alertname', value: 'DiskFull' }, { name: 'env', value: 'prod.*', is_regex: true, is_equal: false }], duration_minutes: 30, comment: 'c' }).ctx);
    expect(plan).toBe('silence alerts {alertname="DiskFull", env!~"prod.*"} until 30 min: POST http://am:9093/api/v2/silences');
  });
});
