import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOver, sandboxPath } from '../../../test/support/sandbox-path.js';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import type { CredentialResolver } from '../../model/credentials.js';
import { restartServiceAction, systemdArgv } from './restart-service-action.js';
import { ServiceAllowList } from './service-allow-list.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof restartServiceAction.run>[0]['params'];
const credentials: CredentialResolver = { get: (id) => Promise.resolve({ id, type: 'http_bearer', data: { token: 's3cret' }, allowed_hosts: ['127.0.0.1'] }) };
let allowList = new ServiceAllowList(undefined);
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials, services: testServices({ sandbox: sandboxOver(dir), serviceControl: allowList }) });

const dir = sandboxPath('itw-restart-');
let server: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  server = await httpFixture((req, res) => (req.url === '/fail' ? json(res, 503, { error: 'busy' }) : json(res, 202, { ok: true })));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  allowList = new ServiceAllowList(undefined);
});

describe('restart_service', () => {
  it('refuses everything when no allow-list exists, and services outside the lists', async () => {
    await expect(restartServiceAction.run(ctx({ service: 'nginx', method: 'systemd' }))).rejects.toMatchObject({ code: 'service_not_allowed', retryable: false });
    allowList = new ServiceAllowList(['nginx', 'redis']);
    await expect(restartServiceAction.run(ctx({ service: 'sshd', method: 'systemd' }))).rejects.toMatchObject({ code: 'service_not_allowed' });
    // A step's own list narrows the configured one; it cannot widen it.
    await expect(restartServiceAction.run(ctx({ service: 'redis', method: 'systemd', allowed_services: ['nginx'] }))).rejects.toMatchObject({ code: 'service_not_allowed' });
    await expect(restartServiceAction.run(ctx({ service: 'sshd', method: 'systemd', allowed_services: ['sshd'] }))).rejects.toMatchObject({ code: 'service_not_allowed' });
    // Without a configured list, a step's own list opens nothing.
    allowList = new ServiceAllowList(undefined);
    await expect(restartServiceAction.run(ctx({ service: 'nginx', method: 'systemd', allowed_services: ['nginx'] }))).rejects.toMatchObject({ code: 'service_not_allowed' });
  });

  it('builds the systemctl argv and refuses unit names that are not names', () => {
    expect(systemdArgv('nginx@1.service')).toEqual(['systemctl', 'restart', 'nginx@1.service']);
    for (const bad of ['-H evil', 'a b', 'x;reboot', '../etc']) expect(() => systemdArgv(bad)).toThrow(/invalid systemd unit name/);
    expect(restartServiceAction.plan?.(ctx({ service: 'nginx', method: 'systemd' }))).toBe('run ["systemctl","restart","nginx"]');
  });

  it('restarts with the command configured for the service, and refuses any other argv', async () => {
    const marker = join(dir, 'restarted');
    const argv = ['sh', '-c', `echo worker > ${marker}`];
    allowList = new ServiceAllowList(['worker', 'api'], { worker: argv });
    const out = await restartServiceAction.run(ctx({ service: 'worker', method: 'command' }));
    expect(out).toMatchObject({ service: 'worker', method: 'command', exit_code: 0 });
    expect(readFileSync(marker, 'utf8')).toBe('worker\n');
    expect(restartServiceAction.plan?.(ctx({ service: 'worker', method: 'command' }))).toBe('run the restart command configured for worker');
    // Repeating the configured argv is fine; any other is refused before anything runs.
    await expect(restartServiceAction.run(ctx({ service: 'worker', method: 'command', command: argv }))).resolves.toMatchObject({ exit_code: 0 });
    await expect(restartServiceAction.run(ctx({ service: 'worker', method: 'command', command: ['false'] }))).rejects.toMatchObject({ code: 'service_not_allowed' });
    // Allowed, but no command configured for it.
    await expect(restartServiceAction.run(ctx({ service: 'api', method: 'command' }))).rejects.toMatchObject({ code: 'service_not_allowed' });
    allowList = new ServiceAllowList(['worker'], { worker: ['false'] });
    await expect(restartServiceAction.run(ctx({ service: 'worker', method: 'command' }))).rejects.toMatchObject({ code: 'restart_failed' });
  });

  it('restarts over HTTP with the credential and an idempotency key', async () => {
    allowList = new ServiceAllowList(['api']);
    const out = await restartServiceAction.run(ctx({ service: 'api', method: 'http', url: `${server.url}/restart`, credential_id: 'tok' }));
    expect(out).toMatchObject({ service: 'api', method: 'http', status: 202 });
    const req = server.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', url: '/restart', body: '{"service":"api","action":"restart"}' });
    expect(req.headers).toMatchObject({ authorization: 'Bearer s3cret', 'idempotency-key': 'e:n:0:1' });
    await expect(restartServiceAction.run(ctx({ service: 'api', method: 'http', url: `${server.url}/fail` }))).rejects.toMatchObject({ code: 'http_status', retryable: true });
  });
});
