import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../../test/support/http-fixture.js';
import { sandboxOver, sandboxPath } from '../../../test/support/sandbox-path.js';
import type { CredentialResolver } from '../../model/credentials.js';
import { openStore, type Store } from '../../store/connect.js';
import { deployApplicationAction } from './deploy-application-action.js';
import { KyselyDeploymentLedger } from '../../store/kysely-deployment-ledger.js';
import { NO_DEPLOYMENT_LEDGER, type DeploymentLedger } from './deployment-ledger.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof deployApplicationAction.run>[0]['params'];
const credentials: CredentialResolver = { get: (id) => Promise.resolve({ id, type: 'http_header', data: { name: 'X-Deploy-Token', value: 'tok-123' }, allowed_hosts: ['127.0.0.1'] }) };
let key = 0;
let ledger: DeploymentLedger = NO_DEPLOYMENT_LEDGER;
const ctx = (params: Params, idempotencyKey = `exec:deploy:0:${++key}`) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey, credentials, services: testServices({ sandbox: sandboxOver(out), deployments: ledger }) });

const dir = mkdtempSync(join(tmpdir(), 'itw-deploy-'));
// The command runs in the sandbox: it writes where the site lets sandboxed steps write.
const out = sandboxPath('itw-deploy-out-');
const log = join(out, 'deploys.log');
// A real deploy command: appends what it was asked to deploy, from argv and the DEPLOY_* environment.
const command = (version: string) => ['sh', '-c', `echo "$1 $DEPLOY_ENVIRONMENT prev=$DEPLOY_PREVIOUS_VERSION" >> ${log}`, 'sh', version];
let store: Store;
let hooks: Awaited<ReturnType<typeof httpFixture>>;

beforeAll(async () => {
  store = await openStore({ dataDir: dir });
  ledger = KyselyDeploymentLedger.over(store.db);
  hooks = await httpFixture((req, res) => json(res, req.url === '/broken' ? 500 : 200, { ok: true }));
});
afterAll(async () => {
  await hooks.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

describe('deploy_application', () => {
  it('runs the command and records each version with the one it replaced', async () => {
    const first = await deployApplicationAction.run(ctx({ application: 'shop', environment: 'prod', version: 'v1', method: 'command', command: command('v1') }));
    expect(first).toMatchObject({ application: 'shop', environment: 'prod', version: 'v1', previous_version: null, rollback: false });
    expect(first.deployment_id).toMatch(/^dep_/);
    const second = await deployApplicationAction.run(ctx({ application: 'shop', environment: 'prod', version: 'v2', method: 'command', command: command('v2') }));
    expect(second.previous_version).toBe('v1');
    expect(readFileSync(log, 'utf8')).toBe('v1 prod prev=\nv2 prod prev=v1\n');
  });

  it('records a failed deployment without making it the live version', async () => {
    const failing = deployApplicationAction.run(ctx({ application: 'shop', environment: 'prod', version: 'v3', method: 'command', command: ['sh', '-c', 'echo disk full >&2; exit 1'] }));
    await expect(failing).rejects.toMatchObject({ code: 'deploy_failed', retryable: false, details: { stderr_tail: 'disk full\n' } });
    const next = await deployApplicationAction.run(ctx({ application: 'shop', environment: 'prod', version: 'v4', method: 'command', command: command('v4') }));
    expect(next.previous_version).toBe('v2');
  });

  it('does not deploy twice when the same step is dispatched again', async () => {
    const params: Params = { application: 'once', environment: 'prod', version: 'v1', method: 'command', command: command('once-v1') };
    const a = await deployApplicationAction.run(ctx(params, 'exec:dup:0:1'));
    const b = await deployApplicationAction.run(ctx(params, 'exec:dup:0:1'));
    expect(b.deployment_id).toBe(a.deployment_id);
    expect(readFileSync(log, 'utf8').match(/once-v1/g)).toHaveLength(1);
  });

  it('calls a webhook with the deployment, the credential and an idempotency key', async () => {
    const out = await deployApplicationAction.run(ctx({ application: 'api', environment: 'staging', version: '2.0.0', method: 'webhook', url: `${hooks.url}/deploy`, credential_id: 'hook' }, 'exec:hook:0:1'));
    expect(out).toMatchObject({ version: '2.0.0', previous_version: null });
    const req = hooks.requests.at(-1)!;
    expect(JSON.parse(req.body)).toEqual({ application: 'api', environment: 'staging', version: '2.0.0', previous_version: null, rollback: false, deployment_key: 'exec:hook:0:1' });
    expect(req.headers).toMatchObject({ 'x-deploy-token': 'tok-123', 'idempotency-key': 'exec:hook:0:1' });
    await expect(deployApplicationAction.run(ctx({ application: 'api', environment: 'staging', version: '2.0.1', method: 'webhook', url: `${hooks.url}/broken` }))).rejects.toMatchObject({ code: 'http_status', retryable: true });
  });

  it('plans without running', () => {
    expect(deployApplicationAction.plan?.(ctx({ application: 'shop', environment: 'prod', version: 'v9', method: 'command', command: ['./deploy.sh', 'v9'] }))).toBe('deploy shop@v9 to prod: run ["./deploy.sh","v9"]');
  });
});

describe('deploy_application without a ledger', () => {
  it('fails clearly', async () => {
    ledger = NO_DEPLOYMENT_LEDGER;
    try {
      await expect(deployApplicationAction.run(ctx({ application: 'x', environment: 'y', version: '1', method: 'command', command: ['true'] }))).rejects.toThrow('no deployment ledger configured');
    } finally {
      ledger = KyselyDeploymentLedger.over(store.db);
    }
  });
});
