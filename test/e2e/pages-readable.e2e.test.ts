import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilStatus } from '../api/api-server.js';
import { axeViolations, login, screenshot, startE2E, type E2E } from './harness.js';

/** The few browser globals the layout checks use (the test program is compiled without the DOM library). */
interface Rect { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number; readonly height: number }
interface El { getBoundingClientRect(): Rect; readonly className: string }

/** Two workflows with one name; one fails with a long error. */
const LONG = `the upstream answered 503 ${'and kept answering it '.repeat(12)}until the end of the line`;
const report = (expression: string) => ({
  name: 'Nightly report',
  nodes: [{ id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } }, { id: 'work', node_type: 'transform', config: { expression } }],
  edges: [{ source_node_id: 'start', target_node_id: 'work' }],
});

async function runOnce(e: E2E, body: object): Promise<string> {
  const wf = await e.server.call('POST', '/automation/workflows', { body });
  await e.server.call('POST', `/automation/workflows/${wf.body.id}/activate`);
  const x = await e.server.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: {} });
  await untilStatus(e.server, x.body.id);
  return wf.body.id as string;
}

async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await axeViolations(page), name).toEqual([]);
}

describe('pages a newcomer reads: executions, credentials, unknown workflow, templates, incidents', () => {
  let e: E2E;
  let page: Page;
  const ids: string[] = [];
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    ids.push(await runOnce(e, report('{"ok": true}')));
    ids.push(await runOnce(e, report(`$error("${LONG}")`)));
    for (const title of ['Disk full on db1', 'API latency high']) await e.server.call('POST', '/automation/incidents', { body: { title, severity: 'critical' } });
    await login(page, e.url);
  }, 120_000);
  afterAll(async () => e?.close());

  it('executions: Mode says manual once, same-named workflows carry their short ids, the Error column lines up and the long error can be read whole', async () => {
    await page.goto(`${e.url}/executions`);
    await page.getByRole('row').nth(2).waitFor();
    const rows = page.getByRole('row').filter({ hasText: 'Nightly report' });
    expect(await rows.count()).toBe(2);
    const modes = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[3]!.textContent));
    expect(modes).toEqual(['manual', 'manual']);
    const tails = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[1]!.textContent));
    expect(new Set(tails).size).toBe(2);
    for (const id of ids) expect(tails.join(' ')).toContain(id.slice(-6));
    // Every cell of a row starts and ends where the row does: a clamped cell used to leave the table layout.
    const misaligned = await rows.evaluateAll((trs) => trs.flatMap((tr) => {
      const row = (tr as unknown as El).getBoundingClientRect();
      return [...(tr as unknown as { cells: El[] }).cells].filter((c) => Math.abs(c.getBoundingClientRect().top - row.top) > 1 || Math.abs(c.getBoundingClientRect().bottom - row.bottom) > 1).map((c) => c.className);
    }));
    expect(misaligned).toEqual([]);
    const failed = rows.filter({ hasText: 'failed' });
    await failed.getByRole('button', { name: 'More' }).click();
    await expect(failed.textContent()).resolves.toContain('until the end of the line');
    await check(page, 'pages-01-executions');
  });

  it('credentials dialog: Cancel and a primary Create side by side', async () => {
    await page.goto(`${e.url}/integrations#credentials`);
    await page.getByRole('button', { name: /New credential/ }).click();
    const dialog = page.getByRole('dialog');
    const create = dialog.getByRole('button', { name: 'Create credential' });
    const cancel = dialog.getByRole('button', { name: 'Cancel' });
    const [a, b] = [await create.boundingBox(), await cancel.boundingBox()];
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
    expect(await create.getAttribute('class')).toContain('btn-primary');
    await check(page, 'pages-02-credential-dialog');
    await cancel.click();
  });

  it('an unknown workflow is a not-found state with the way back, not a bare "Try again"', async () => {
    await page.goto(`${e.url}/workflows/wf_does_not_exist`);
    await page.getByRole('heading', { name: 'Workflow not found' }).waitFor();
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await check(page, 'pages-03-unknown-workflow');
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
  });

  it('templates: node counts on one line, thumbnail labels at least 9 px on screen', async () => {
    await page.goto(`${e.url}/templates`);
    const count = page.locator('.node-count').first();
    await count.waitFor();
    const lineHeight = await count.evaluate((el) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string; fontSize: string } }).getComputedStyle(el).fontSize) * 1.6);
    expect((await count.boundingBox())!.height).toBeLessThan(lineHeight);
    const heights = await page.locator('.graph-preview text').evaluateAll((ts) => ts.map((t) => (t as unknown as El).getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(9);
    await check(page, 'pages-04-templates');
  });

  it('incidents: the empty state matches the filter; an incident can be assigned and escalated', async () => {
    await page.goto(`${e.url}/incidents`);
    await page.getByRole('button', { name: 'Resolved' }).click();
    await page.getByRole('heading', { name: 'No resolved incidents' }).waitFor();
    expect(await page.getByText('All quiet.').count()).toBe(0);
    await expect(page.locator('.empty-state').textContent()).resolves.toContain('2 incidents are open');
    await check(page, 'pages-05-incidents-resolved-empty');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('link', { name: /INC-/ }).first().click();
    await page.getByLabel('Assign to').fill('ops');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByText(/assigned to ops/).first().waitFor();
    await page.getByRole('button', { name: 'Escalate' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Timeline' }).textContent()).toMatch(/escalat/);
    await check(page, 'pages-06-incident-assigned');
    expect(e.unexpectedErrors()).toEqual([]);
  });

  it('a viewer is offered none of it: no activate, save, test run, credential or assignment', async () => {
    const viewer = { username: 'watcher', password: 'a viewer password of some length' };
    await e.server.app.repos.users.create({ ...viewer, role: 'viewer' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').fill(viewer.username);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${e.url}/workflows/${ids[0]}/setup`);
    await page.getByRole('heading', { name: /Set up Nightly report/ }).waitFor();
    for (const name of ['Save variables', 'Run a test', 'Activate']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    await page.goto(`${e.url}/workflows/${ids[0]}`);
    await page.locator('.canvas[data-fitted]').waitFor();
    for (const name of ['Save', 'Activate', 'Deactivate', 'Run']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    await page.goto(`${e.url}/incidents`);
    await page.getByRole('link', { name: /INC-/ }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    for (const name of ['Assign', 'Escalate', 'Assign to me']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
  });
});
