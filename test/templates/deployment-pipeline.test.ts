import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KyselyDeploymentLedger } from '../../src/store/kysely-deployment-ledger.js';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { json } from '../support/http-fixture.js';
import { expectCompleted, fakeCredentials, fakeSaas, loadTemplate, startTemplate, withNodeConfig } from './template-support.js';

const template = loadTemplate('deployment-pipeline.yaml');
const node = process.execPath;
/** A test command that passes (exit 0) or fails (exit 1), as a runner would. */
const tests = (exitCode: number) => [node, '-e', `process.exit(${exitCode})`];

interface Commands { unit: string[]; integration: string[]; build: string[]; deploy: string[] }
/** The template with its commands edited in their nodes, as a user does after installing it. */
function pipeline(c: Commands): typeof template {
  let def = withNodeConfig(template, 'unit_tests', { command: c.unit });
  def = withNodeConfig(def, 'integration_tests', { command: c.integration });
  def = withNodeConfig(def, 'build', { command: c.build });
  def = withNodeConfig(def, 'deploy_staging', { command: c.deploy });
  return withNodeConfig(def, 'deploy_production', { command: c.deploy });
}

describe.each(DIALECTS)('template: Deployment Pipeline ($name)', (dialect) => {
  let h: Harness;
  let saas: Awaited<ReturnType<typeof fakeSaas>>;
  let workdir: string;
  let variables: Record<string, unknown>;
  let commands: Commands;
  beforeAll(async () => {
    // Tests, build and deploy commands run in the sandbox: the checkout is a path the site shows them.
    workdir = mkdtempSync(join(tmpdir(), 'itw-pipeline-'));
    chmodSync(workdir, 0o777);
    h = await openHarness(dialect, { config: { sandboxPaths: [workdir] } });
    // Staging's health endpoint answers the smoke test.
    saas = await fakeSaas((req, res) => (req.url === '/staging/health' ? json(res, 200, { status: 'ok' }) : json(res, 404, {})));
    await fakeCredentials(h, saas.url, { slack: 'slack-deploys' });
    variables = {
      application: 'web-shop',
      workdir,
      image: 'registry.test/web-shop',
      staging_url: `${saas.url}/staging`,
      production_approvers: ['alice'],
    };
    commands = {
      unit: tests(0),
      integration: tests(0),
      // The build writes the image it would push; the deploy appends where it deployed what.
      build: [node, '-e', 'require("fs").writeFileSync("image.txt", process.env.IMAGE + " " + process.env.APP_VERSION)'],
      deploy: [node, '-e', 'require("fs").appendFileSync(process.argv[1], process.env.DEPLOY_ENVIRONMENT + " " + process.env.DEPLOY_VERSION + "\\n")', join(workdir, 'deploys.log')],
    };
  });
  afterEach(() => {
    saas.calls.length = 0;
    rmSync(join(workdir, 'deploys.log'), { force: true });
  });
  afterAll(async () => {
    await saas.close();
    await h.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  /** Runs the pipeline for a push up to the approval, which it answers like the API would. */
  async function pushAndAnswer(vars: Record<string, unknown>, decision?: { handle: 'approved' | 'rejected'; by: string; comment: string | null }, cmds: Partial<Commands> = {}) {
    const id = await startTemplate(h, pipeline({ ...commands, ...cmds }), { event: 'push', branch: 'main', sha: '9fceb02d0ae598e95dc970b74767f19372d61af8' }, vars);
    if (decision) {
      await h.until(id, (e) => e.status === 'waiting');
      // What GET /automation/approvals shows the approver.
      const [ask] = await h.app.repos.approvals.listWaiting({ executionId: id });
      expect(ask).toMatchObject({
        node_id: 'approve_production', approvers: ['alice'],
        message: 'Deploy web-shop 9fceb02d0ae5 to production? Tests passed, staging answered the smoke test with HTTP 200.',
        plan: [expect.stringMatching(/^deploy web-shop@9fceb02d0ae5 to production: run /)],
      });
      await h.app.engine.signal(id, ask!.run_id, decision.handle, { decision: decision.handle, by: decision.by, comment: decision.comment, decided_at: new Date().toISOString() });
    }
    return h.settle(id);
  }

  it('tests, builds, deploys to staging, smoke-tests, and deploys to production once approved', async () => {
    const r = await pushAndAnswer(variables, { handle: 'approved', by: 'alice', comment: 'ship it' });
    expectCompleted(r);
    expect(readFileSync(join(workdir, 'image.txt'), 'utf8')).toBe('registry.test/web-shop:9fceb02d0ae5 9fceb02d0ae5');
    expect(readFileSync(join(workdir, 'deploys.log'), 'utf8')).toBe('staging 9fceb02d0ae5\nproduction 9fceb02d0ae5\n');
    // The deployment history (what rollback_deployment goes back from) has both.
    const ledger = KyselyDeploymentLedger.over(h.app.store.db);
    expect(await ledger.latest('web-shop', 'staging')).toMatchObject({ version: '9fceb02d0ae5', status: 'succeeded' });
    expect(await ledger.latest('web-shop', 'production')).toMatchObject({ version: '9fceb02d0ae5', status: 'succeeded' });
    expect(saas.of('api').map((c) => c.path)).toEqual(['/staging/health']);
    expect(saas.of('slack').map((c) => c.body['text'])).toEqual([':rocket: web-shop 9fceb02d0ae5 is live in production (approved by alice).']);
  });

  it('asks the listed approvers what production will get; a rejection keeps it on staging and says why', async () => {
    const r = await pushAndAnswer(variables, { handle: 'rejected', by: 'alice', comment: 'freeze until Monday' });
    expectCompleted(r);
    expect(r.node('approve_production').output).toMatchObject({ decision: 'rejected', by: 'alice' });
    expect(readFileSync(join(workdir, 'deploys.log'), 'utf8')).toBe('staging 9fceb02d0ae5\n');
    expect(r.node('deploy_production').status).toBe('skipped');
    expect(saas.of('slack').map((c) => c.body['text'])).toEqual(['web-shop 9fceb02d0ae5 is on staging only: production rejected by alice (freeze until Monday).']);
  });

  it('failing integration tests stop the pipeline before the build and tell the team', async () => {
    const r = await pushAndAnswer(variables, undefined, { integration: tests(1) });
    expectCompleted(r);
    expect(r.node('build').status).toBe('skipped');
    expect(r.node('deploy_staging').status).toBe('skipped');
    expect(saas.of('slack').map((c) => c.body['text'])).toEqual([':x: web-shop 9fceb02d0ae5: integration tests failed (0 failing, exit code 1); nothing was deployed.']);
  });

  it('a failed staging deploy goes to the failure notice, never to the approval', async () => {
    const r = await pushAndAnswer(variables, undefined, { deploy: [node, '-e', 'console.error("registry unreachable"); process.exit(3)'] });
    expectCompleted(r);
    expect(r.node('deploy_staging')).toMatchObject({ status: 'failed', error: { code: 'deploy_failed' } });
    expect(r.node('approve_production').status).toBe('skipped');
    expect(saas.of('slack')).toHaveLength(1);
    expect(saas.of('slack')[0]!.body['text']).toMatch(/^:x: web-shop 9fceb02d0ae5: the pipeline failed at deploy_staging: /);
  });
});
