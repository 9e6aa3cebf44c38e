import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilStatus } from '../api/api-server.js';
import { axeViolations, login, screenshot, startE2E, type E2E } from './harness.js';

const at = (x: number) => ({ position_x: x, position_y: 0 });

const CHILD = {
  name: 'Child check',
  nodes: [{ id: 'start', node_type: 'trigger', config: {}, ...at(0) }, { id: 'echo', node_type: 'transform', config: { expression: '$input' }, ...at(280) }],
  edges: [{ source_node_id: 'start', target_node_id: 'echo' }],
};

function parent(childId: string) {
  return {
    name: 'Parent run',
    nodes: [{ id: 'start', node_type: 'trigger', config: {}, ...at(0) }, { id: 'sub', node_type: 'run_workflow', config: { workflow_id: childId, input: { host: 'web1' } }, ...at(280) }],
    edges: [{ source_node_id: 'start', target_node_id: 'sub' }],
  };
}

const FLAKY = {
  name: 'Flaky',
  nodes: [
    { id: 'start', node_type: 'trigger', config: {}, ...at(0) },
    { id: 'stamp', node_type: 'transform', config: { expression: '{ "n": $input.n }' }, ...at(280) },
    { id: 'risky', node_type: 'transform', config: { expression: '$assert(false, "still broken")' }, ...at(560) },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'stamp' }, { source_node_id: 'stamp', target_node_id: 'risky' }],
};

describe('execution page: sub-workflow links and retries in a real browser', () => {
  let e: E2E;
  let page: Page;
  let parentExec: string;
  let failedExec: string;
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    const create = async (def: object): Promise<string> => {
      const wf = await e.server.call('POST', '/automation/workflows', { body: def });
      expect((await e.server.call('POST', `/automation/workflows/${wf.body.id}/activate`)).status).toBe(200);
      return String(wf.body.id);
    };
    const child = await create(CHILD);
    const p = await create(parent(child));
    parentExec = String((await e.server.call('POST', `/automation/workflows/${p}/execute`, { body: {} })).body.id);
    await untilStatus(e.server, parentExec);
    const flaky = await create(FLAKY);
    failedExec = String((await e.server.call('POST', `/automation/workflows/${flaky}/execute`, { body: { input_data: { n: 1 } } })).body.id);
    await untilStatus(e.server, failedExec);
    await login(page, e.url);
  }, 240_000);
  afterAll(async () => e?.close());

  it('links a parent to its child and back, from the header and from the step', async () => {
    await page.goto(`${e.url}/executions/${parentExec}`);
    const toChild = page.getByRole('link', { name: /^Child execution from step sub/ });
    await toChild.waitFor();
    await screenshot(page, '40-execution-parent');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('.react-flow__node[data-id="sub"]').click();
    await page.getByRole('link', { name: /^Open child execution/ }).waitFor();
    await toChild.click();
    await page.getByRole('link', { name: /^Parent execution/ }).click();
    await page.getByRole('heading', { name: `Execution ${parentExec}` }).waitFor();
  });

  it('retries from the failed step and from a chosen node; the retry links back', async () => {
    await page.goto(`${e.url}/executions/${failedExec}`);
    await page.getByRole('button', { name: 'Retry from failed step' }).click();
    const back = page.getByRole('link', { name: `Retried execution …${failedExec.slice(-6)}` });
    await back.waitFor();
    expect(page.url()).not.toContain(failedExec);
    await page.locator('.react-flow__node[data-id="stamp"]').click();
    await page.getByText('by the retry: not run again').waitFor();
    await screenshot(page, '41-execution-retry');
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(`${e.url}/executions/${failedExec}`);
    await page.getByRole('link', { name: /^Retry …/ }).waitFor();
    await page.locator('.react-flow__node[data-id="stamp"]').click();
    await page.getByRole('button', { name: 'Retry from here' }).click();
    await expect.poll(async () => (await e.server.call('GET', `/automation/executions/${failedExec}`)).body.retries.length).toBe(2);
    await page.getByRole('link', { name: `Retried execution …${failedExec.slice(-6)}` }).waitFor();
    const retries = await e.server.call('GET', `/automation/executions/${failedExec}`);
    expect(retries.body.retries).toHaveLength(2);
    expect(e.unexpectedErrors()).toEqual([]);
  });
});
