import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, login, screenshot, startE2E, type E2E } from './harness.js';

/** Centre of an element on the screen. */
async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error('element is not visible');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags from one point to another with the mouse, in steps, as a person would (xyflow listens to pointer moves). */
async function mouseDrag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x - from.x) / 3, from.y + (to.y - from.y) / 3, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const from = await centre(node(page, source).locator(`.react-flow__handle.source[data-handleid="${handle}"]`));
  const to = await centre(node(page, target).locator('.react-flow__handle.target'));
  await mouseDrag(page, from, to);
}

describe('workflow builder in a real browser', () => {
  let e: E2E;
  let page: Page;
  let workflowId = '';
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
  }, 120_000);
  afterAll(async () => e?.close());

  it('logs in through the login page', async () => {
    await page.goto(`${e.url}/workflows`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, '01-login');
    expect(await axeViolations(page)).toEqual([]);
    await login(page, e.url);
    await page.getByRole('heading', { name: 'No workflows yet' }).waitFor();
    await screenshot(page, '02-workflows-empty');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('builds a workflow by dragging three nodes from the palette and connecting their handles', async () => {
    await page.getByRole('button', { name: 'New workflow' }).click();
    await node(page, 'trigger_1').waitFor();
    workflowId = page.url().split('/').pop()!;
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no canvas');
    // The new workflow's viewport is x=0, y=0, zoom 1: a drop at pane + (p + (100, 30)) puts the node at p.
    const drop = async (type: string, x: number, y: number) => {
      await page.locator(`.palette-item[data-node-type="${type}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: x + 100, y: y + 30 } });
    };
    await drop('transform', 320, 100);
    await node(page, 'transform_1').waitFor();
    await drop('condition', 600, 100);
    await node(page, 'condition_1').waitFor();
    await drop('transform', 600, 300);
    await node(page, 'transform_2').waitFor();

    await connect(page, 'trigger_1', 'out', 'transform_1');
    await connect(page, 'transform_1', 'out', 'condition_1');
    await connect(page, 'condition_1', 'true', 'transform_2');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    // What the engine would refuse is refused on the canvas: nothing connects into a trigger.
    await mouseDrag(page, await centre(node(page, 'transform_2').locator('.react-flow__handle.source[data-handleid="out"]')), await centre(node(page, 'trigger_1')));
    expect(await page.locator('.react-flow__edge').count()).toBe(3);
  });

  it('configures a node through its generated form, with expression errors shown as you type', async () => {
    await node(page, 'transform_1').click();
    const expr = page.getByRole('textbox', { name: /expression/i });
    await expr.fill('{"doubled": $input.n * }');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /at character/ }).count()).toBeGreaterThan(0);
    await screenshot(page, '03-builder-expression-error');
    await expr.fill('{"doubled": $input.n * 2}');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /at character/ }).count()).toBe(0);
    await page.getByLabel('Label').fill('Double it');
    await expect(node(page, 'transform_1').textContent()).resolves.toContain('Double it');
    // Undo and redo the label edit.
    await page.locator('.react-flow__pane').click({ position: { x: 500, y: 600 } });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => node(page, 'transform_1').textContent()).not.toContain('Double it');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => node(page, 'transform_1').textContent()).toContain('Double it');
  });

  it('configures an action from the searchable catalogue, with its params form and a credential picker', async () => {
    await page.locator('.palette-item[data-node-type="action"]').click();
    await node(page, 'action_1').waitFor();
    await page.getByLabel('Search actions').fill('slack');
    await page.locator('[data-action-id="send_slack"]').click();
    await page.getByRole('combobox', { name: /credential/i }).waitFor();
    await page.getByRole('textbox', { name: /text|message/i }).first().fill('Disk {{ $trigger.pct }}% on {{ $trigger.host }}');
    await screenshot(page, '04-builder-action-config');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Delete node' }).click();
    expect(await node(page, 'action_1').count()).toBe(0);
  });

  it('copies and pastes a node, and undoes the paste', async () => {
    await node(page, 'transform_2').click();
    await page.locator('.react-flow__pane').focus();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await node(page, 'transform_3').waitFor();
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, 'transform_3').count()).toBe(0);
  });

  it('shows the server\'s validation problems on the offending node', async () => {
    await node(page, 'condition_1').click();
    await page.getByRole('textbox', { name: /expression/i }).fill('$input.doubled >');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/to fix before it can be activated/).waitFor();
    await node(page, 'condition_1').locator('.has-problems').waitFor();
    await page.getByRole('alert').filter({ hasText: 'The server found' }).waitFor();
    await screenshot(page, '05-builder-validation-problem');
    await page.getByRole('textbox', { name: /expression/i }).fill('$input.doubled > 10');
  });

  it('saves a draft without activating it, activates it by its own button, and runs it, colouring every node live until completed', async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Draft saved; still draft/).waitFor();
    expect(await node(page, 'condition_1').locator('.has-problems').count()).toBe(0);
    expect((await e.server.call('GET', `/automation/workflows/${workflowId}`)).body.status).toBe('draft');
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByText('version 1 is live').waitFor();
    expect((await e.server.call('GET', `/automation/workflows/${workflowId}`)).body.status).toBe('active');
    await page.getByRole('button', { name: 'Deactivate', exact: true }).waitFor();
    await screenshot(page, '06-builder-saved');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('dialog').getByRole('cell', { name: /v1/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByLabel(/Input data/).fill('{"n": 21}');
    await page.getByRole('dialog').getByRole('button', { name: 'Run' }).click();
    for (const id of ['trigger_1', 'transform_1', 'condition_1', 'transform_2']) {
      await expect.poll(() => node(page, id).locator('.wf-node').getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    }
    await screenshot(page, '07-builder-run-completed');
    await node(page, 'transform_2').click();
    await page.getByRole('tab', { name: 'Run data' }).click();
    await expect(page.getByLabel('Output of transform_2').textContent()).resolves.toContain('"doubled": 42');
    await screenshot(page, '08-builder-node-output');
  });

  it('opens the execution in the viewer with its graph, timeline and node data', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 500, y: 600 } });
    await page.getByRole('link', { name: 'Open in execution viewer' }).click();
    await page.getByRole('heading', { name: /Execution/ }).waitFor();
    await page.locator('.gantt-bar').first().waitFor();
    expect(await page.locator('.gantt-bar').count()).toBe(4);
    await node(page, 'transform_1').click();
    await expect(page.getByLabel('Output of transform_1').textContent()).resolves.toContain('42');
    await screenshot(page, '09-execution-viewer');
    expect(await axeViolations(page)).toEqual([]);
    expect(workflowId).toMatch(/^wf_/);
    // No script error, and no request to another origin, anywhere on the way (401s before login are expected).
    expect(e.unexpectedErrors()).toEqual([]);
  });
});
