import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { json } from '../support/http-fixture.js';
import { expectCompleted, fakeCredentials, fakeSaas, loadTemplate, runTemplate } from './template-support.js';

const template = loadTemplate('server-health-check.yaml');
const node = process.execPath;

describe.each(DIALECTS)('template: Server Health Check ($name)', (dialect) => {
  let h: Harness;
  let saas: Awaited<ReturnType<typeof fakeSaas>>;
  let dir: string;
  /** The service is healthy while this file exists: "restarting" it writes the file. */
  let upFile: string;
  /** While this file exists, the restart does nothing (a service that stays down). */
  let stuckFile: string;
  let variables: Record<string, unknown>;
  beforeAll(async () => {
    // The restart command runs in the sandbox: it writes where the site lets sandboxed steps write.
    dir = mkdtempSync(join(tmpdir(), 'itw-health-'));
    chmodSync(dir, 0o777);
    upFile = join(dir, 'web-shop.up');
    stuckFile = join(dir, 'web-shop.stuck');
    // The restart command is server policy (ITW_RESTART_COMMANDS), not a workflow variable.
    const restart = [node, '-e', 'const fs = require("fs"); if (!fs.existsSync(process.argv[2])) fs.writeFileSync(process.argv[1], "up")', upFile, stuckFile];
    h = await openHarness(dialect, { config: { restartAllowedServices: ['web-shop'], restartCommands: { 'web-shop': restart }, sandboxPaths: [dir] } });
    saas = await fakeSaas((req, res) => (req.url === '/health' && existsSync(upFile) ? json(res, 200, { status: 'ok' }) : json(res, 503, { status: 'down' })));
    await fakeCredentials(h, saas.url, { slack: 'slack-ops' });
    variables = {
      service_name: 'web-shop', health_url: `${saas.url}/health`, restart_method: 'command',
    };
  });
  afterEach(() => {
    saas.calls.length = 0;
    rmSync(upFile, { force: true });
    rmSync(stuckFile, { force: true });
  });
  afterAll(async () => {
    await saas.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const healthChecks = () => saas.of('api').filter((c) => c.path === '/health').length;

  it('a healthy service is only checked and logged', async () => {
    writeFileSync(upFile, 'up');
    const r = await runTemplate(h, template, { scheduled_at: new Date().toISOString() }, variables);
    expectCompleted(r);
    expect(healthChecks()).toBe(1);
    expect(r.node('restart').status).toBe('skipped');
    expect(r.node('log_result').output).toEqual({ message: 'web-shop: healthy', level: 'info' });
    expect(saas.of('slack')).toEqual([]);
  });

  it('an unhealthy service is restarted, checked again 30 s later, and logged as recovered', async () => {
    const r = await runTemplate(h, template, {}, variables);
    expectCompleted(r);
    expect(existsSync(upFile)).toBe(true);
    expect(r.node('restart').output).toMatchObject({ service: 'web-shop', method: 'command', exit_code: 0 });
    expect(r.node('recheck').started_at! - r.node('restart').finished_at!).toBeGreaterThanOrEqual(30_000);
    expect(healthChecks()).toBe(2);
    expect(r.node('log_result').output).toEqual({ message: 'web-shop: recovered after a restart', level: 'warn' });
    expect(saas.of('slack')).toEqual([]);
  });

  it('a service still down after the restart is reported to the team on Slack', async () => {
    writeFileSync(stuckFile, '');
    const r = await runTemplate(h, template, {}, variables);
    expectCompleted(r);
    expect(healthChecks()).toBe(2);
    expect(saas.of('slack').map((c) => [c.body['channel'], c.body['text']])).toEqual([
      ['#ops-alerts', `:warning: web-shop is still unhealthy after a restart attempt (HTTP 503 from ${saas.url}/health). Please take a look.`],
    ]);
    expect(r.node('log_result').output).toEqual({ message: 'web-shop: still unhealthy after a restart, team alerted', level: 'error' });
  });

  it('a service the allow-list does not name is not restarted: the team hears why', async () => {
    const r = await runTemplate(h, template, {}, { ...variables, service_name: 'payments' });
    expectCompleted(r);
    expect(existsSync(upFile)).toBe(false);
    expect(r.node('restart')).toMatchObject({ status: 'failed', error: { code: 'service_not_allowed' } });
    expect(saas.of('slack')[0]!.body['text']).toContain('restarting payments is not allowed by the service allow-list');
  });
});
