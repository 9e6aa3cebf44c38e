import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINEAR, untilStatus } from '../api/api-server.js';
import type { BrowserGlobals } from './browser-globals.js';
import { axeViolations, login, screenshot, startE2E, unreachableByKeyboard, type E2E } from './harness.js';

const APPROVAL_FLOW = {
  name: 'Restart with approval',
  category: 'Operations',
  tags: ['ops'],
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' }, position_x: 0, position_y: 0 },
    { id: 'ask', node_type: 'approval', label: 'Ask on-call', config: { message: 'Restart web1?', timeout_seconds: 0 }, position_x: 280, position_y: 0 },
    { id: 'done', node_type: 'transform', config: { expression: '{"restarted": true}' }, position_x: 560, position_y: 0 },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'ask' },
    { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'done' },
  ],
};

/** Every page: no serious or critical axe violation, and a screenshot to look at. */
async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await axeViolations(page), name).toEqual([]);
}

describe('dashboards and list pages in a real browser', () => {
  let e: E2E;
  let page: Page;
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    // History for the lists and charts: three runs of a small workflow, one of them failing.
    const wf = await e.server.call('POST', '/automation/workflows', { body: { ...LINEAR, category: 'Reports', tags: ['nightly'] } });
    await e.server.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    for (const items of [[1, 2], [3, 4], 'not a list']) {
      const x = await e.server.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: { items } } });
      await untilStatus(e.server, x.body.id);
    }
    await login(page, e.url);
  }, 120_000);
  afterAll(async () => e?.close());

  it('lists workflows with last run and success rate, filters them, and is keyboard-reachable', async () => {
    await page.goto(`${e.url}/workflows`);
    const row = page.getByRole('row').filter({ hasText: 'Linear' });
    await expect.poll(() => row.textContent()).toContain("66.7%");
    await expect(row.textContent()).resolves.toContain('failed');
    await check(page, '10-workflow-list');
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await page.getByLabel('Status').selectOption('draft');
    await page.getByRole('heading', { name: 'No workflow matches these filters' }).waitFor();
    await page.getByLabel('Status').selectOption('');
    await row.getByRole('button', { name: 'Clone' }).click();
    await page.getByRole('link', { name: 'Copy of Linear' }).waitFor();
  });

  it('shows the execution history across workflows, filterable by status', async () => {
    await page.goto(`${e.url}/executions`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await check(page, '11-executions');
    expect(await unreachableByKeyboard(page)).toEqual([]);
  });

  it('uses a template: the gallery previews its graph, "use" opens its setup, and the builder from there', async () => {
    await page.goto(`${e.url}/templates`);
    await page.getByRole('img', { name: 'Graph of Incident triage' }).waitFor();
    await check(page, '12-templates');
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await page.getByRole('button', { name: 'Use template Incident triage' }).click();
    await page.getByRole('heading', { name: 'Set up Incident triage' }).waitFor();
    await page.getByRole('link', { name: 'Open in builder' }).click();
    await page.locator('.react-flow__node[data-id="critical"]').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(4);
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await page.locator('.react-flow__minimap').waitFor();
    await screenshot(page, '13-template-in-builder');
  });

  it('answers a pending approval from the inbox', async () => {
    const wf = await e.server.call('POST', '/automation/workflows', { body: APPROVAL_FLOW });
    await e.server.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const x = await e.server.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: {} });
    await untilStatus(e.server, x.body.id, (s) => s === 'waiting');
    await page.goto(`${e.url}/approvals`);
    const card = page.getByRole('article', { name: 'Approval for ask' });
    await card.getByRole('heading', { name: 'Restart web1?' }).waitFor();
    await check(page, '14-approvals');
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await card.getByLabel('Comment (optional)').fill('go ahead');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Nothing to approve' }).waitFor();
    const done = await untilStatus(e.server, x.body.id);
    expect(done.body.status).toBe('completed');
  });

  it('draws the metrics charts', async () => {
    await page.goto(`${e.url}/dashboard`);
    await page.locator('[data-chart="over-time"] .recharts-bar-rectangle path').first().waitFor();
    await page.locator('[data-chart="durations"] .recharts-bar-rectangle path').first().waitFor();
    await expect(page.locator('.stat-card').filter({ hasText: 'Workflows' }).first().textContent()).resolves.toMatch(/\d/);
    await check(page, '15-metrics');
  });

  it('shows the action catalogue with parameters and manages credentials without showing secrets back', async () => {
    await page.goto(`${e.url}/integrations`);
    await page.getByRole('button', { name: /^Incidents \(/ }).click();
    await page.getByText('Create Incident').click();
    await page.getByRole('table', { name: 'Parameters' }).first().waitFor();
    await check(page, '16-integrations-actions');
    expect(await unreachableByKeyboard(page)).toEqual([]);

    await page.getByRole('tab', { name: 'Credentials' }).click();
    await page.getByRole('button', { name: 'New credential' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('status-page');
    await dialog.getByLabel('Type').selectOption('http_bearer');
    await dialog.getByLabel(/token/i).fill('s3cret-token-value');
    await dialog.getByLabel('Allowed hosts').fill('status.example.com');
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    const row = page.getByRole('row').filter({ hasText: 'status-page' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('(set)');
    expect(await page.content()).not.toContain('s3cret-token-value');
    await check(page, '17-integrations-credentials');
    await row.getByRole('button', { name: 'Delete status-page' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'No credentials yet' }).waitFor();
  });

  it('lists incidents and acknowledges and resolves one from its timeline page', async () => {
    const inc = await e.server.call('POST', '/automation/incidents', { body: { title: 'Disk full on web1', severity: 'critical', service: 'web' } });
    expect(inc.status).toBeLessThan(300);
    await page.goto(`${e.url}/incidents`);
    await page.getByRole('link', { name: inc.body.key }).waitFor();
    await check(page, '18-incidents');
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await page.getByRole('link', { name: inc.body.key }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.timeline li').filter({ hasText: 'acknowledged' }).waitFor();
    await check(page, '19-incident-detail');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.timeline li').filter({ hasText: 'resolved' }).waitFor();
  });

  it('lets an admin create an API key (shown once) and revoke it', async () => {
    await page.goto(`${e.url}/api-keys`);
    await page.getByLabel('Name').fill('ci-deploys');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.locator('.secret-once').textContent()).resolves.toMatch(/^itw_/);
    await check(page, '20-api-keys');
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await page.getByRole('button', { name: 'Revoke ci-deploys' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('row').filter({ hasText: 'ci-deploys' }).getByText('revoked').waitFor();
  });

  it('logs out back to the login page, and the API refuses the old session', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await (globalThis as unknown as BrowserGlobals).fetch('/automation/workflows')).status);
    expect(status).toBe(401);
    expect(e.unexpectedErrors()).toEqual([]);
  });
});
