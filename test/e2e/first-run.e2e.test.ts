import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../src/api/server.js';
import { axeViolations, login, REPO, screenshot, startE2E, USER, type E2E } from './harness.js';

/** The service the Server Health Check template watches: a local endpoint that answers healthy. */
async function healthyService(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const status = async (e: E2E, id: string) => String((await e.server.call('GET', `/automation/workflows/${id}`)).body.status);

describe('first run: a template from "Use template" to its first green test run, and activation that does what it says', () => {
  let e: E2E;
  let page: Page;
  let service: { server: Server; url: string };
  let workflowId = '';
  beforeAll(async () => {
    service = await healthyService();
    e = await startE2E({ templatesDir: join(REPO, 'templates') });
    page = e.page;
    await login(page, e.url);
  }, 120_000);
  afterAll(async () => {
    await e?.close();
    service?.server.close();
  });

  it('"Use template" opens a setup view: variables, the credential to create, the server setting a step needs', async () => {
    await page.goto(`${e.url}/templates`);
    await page.getByRole('button', { name: 'Use template Server Health Check' }).click();
    await page.getByRole('heading', { name: 'Set up Server Health Check' }).waitFor();
    workflowId = page.url().split('/').at(-2)!;
    const needs = page.getByRole('list', { name: 'Credentials to create' });
    await needs.getByRole('button', { name: 'Create slack-ops' }).waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Server settings' }).textContent()).toContain('ITW_RESTART_ALLOWED_SERVICES');
    await screenshot(page, 'first-run-01-setup');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fills the variables, creates the credential inline with its type\'s form, and the check clears it', async () => {
    await page.getByLabel(/^health_url/).fill(`${service.url}/health`);
    await page.getByRole('button', { name: 'Save variables' }).click();
    await page.getByText('Variables saved').waitFor();
    await page.getByRole('button', { name: 'Create slack-ops' }).click();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('slack-ops');
    await expect(page.getByLabel('Type', { exact: true }).inputValue()).resolves.toBe('slack');
    await page.getByLabel(/webhook/i).fill('https://hooks.slack.example/services/T0/B0/x');
    await screenshot(page, 'first-run-02-credential-inline');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByText('Credential slack-ops created').waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Credentials to create' }).count()).toBe(0);
  });

  it('runs a test and shows its result: green, and the workflow is still a draft', async () => {
    await page.getByRole('button', { name: 'Run a test' }).click();
    const result = page.getByRole('status', { name: 'Test run result' });
    await expect.poll(() => result.locator('.badge').first().textContent(), { timeout: 20_000 }).toBe('completed');
    await expect(result.textContent()).resolves.toContain('log_result');
    await screenshot(page, 'first-run-03-test-run');
    expect(await status(e, workflowId)).toBe('draft');
  });

  it('activation shows what blocks it (the allow-list setting) and does not activate', async () => {
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Cannot activate yet' });
    await expect.poll(() => dialog.textContent()).toContain('ITW_RESTART_ALLOWED_SERVICES');
    await screenshot(page, 'first-run-04-activate-blocked');
    await dialog.locator('.modal-actions').getByRole('button', { name: 'Close' }).click();
    expect(await status(e, workflowId)).toBe('draft');
  });

  it('saving in the builder never changes the status; Activate there shows the same problems', async () => {
    await page.getByRole('link', { name: 'Open in builder' }).click();
    await page.locator('.canvas[data-fitted="true"]').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Draft saved/).waitFor();
    expect(await status(e, workflowId)).toBe('draft');
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Cannot activate yet' }).textContent()).toContain('ITW_RESTART_ALLOWED_SERVICES');
    await page.keyboard.press('Escape');
    expect(await status(e, workflowId)).toBe('draft');
  });

  it('a schedule about to fire is a warning to confirm before activating', async () => {
    const wf = await e.server.call('POST', '/automation/workflows', {
      body: {
        name: 'Every minute',
        nodes: [{ id: 'tick', node_type: 'trigger', config: { trigger_type: 'schedule', cron: '* * * * *' } }, { id: 'noop', node_type: 'transform', config: { expression: '{}' } }],
        edges: [{ source_node_id: 'tick', target_node_id: 'noop' }],
      },
    });
    await page.goto(`${e.url}/workflows/${wf.body.id}`);
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate with warnings?' });
    await dialog.getByRole('list', { name: 'Warnings' }).waitFor();
    await screenshot(page, 'first-run-05-activate-warnings');
    expect(await status(e, wf.body.id)).toBe('draft');
    await dialog.getByRole('button', { name: 'Activate anyway' }).click();
    await page.getByText(/is live/).waitFor();
    expect(await status(e, wf.body.id)).toBe('active');
    await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await expect.poll(() => status(e, wf.body.id)).toBe('inactive');
    expect(e.unexpectedErrors()).toEqual([]);
  });
});

describe('first visit to a server with no users: the one-time admin setup', () => {
  const TOKEN = 'setup-token-from-the-console';
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    // The token `itw serve` prints: used once, as the server's own SetupToken is.
    let spent = false;
    const setupToken = { get available() { return !spent; }, consume: (t: string) => (!spent && t === TOKEN ? (spent = true) : false) };
    e = await startE2E({ noUser: true, server: { setupToken } as unknown as ServerOptions });
    page = e.page;
  }, 120_000);
  afterAll(async () => e?.close());

  it('offers "Create the first admin"; a wrong token is refused, the right one signs the admin in', async () => {
    await page.goto(`${e.url}/workflows`);
    await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
    await screenshot(page, 'first-run-06-admin-setup');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Setup token').fill('a guess');
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /setup token/ }).waitFor();
    await page.getByLabel('Setup token').fill(TOKEN);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect(page.getByText(`${USER.username} (admin)`).count()).resolves.toBeGreaterThan(0);
  });

  it('once a user exists, the page is the ordinary sign-in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Setup token').count()).toBe(0);
  });
});
