import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilStatus } from '../api/api-server.js';
import { login, REPO, screenshot, startE2E, type E2E } from './harness.js';

/** Built through the API without a single position: it used to open with every node stacked at 0,0. */
const UNPLACED = {
  name: 'Built by a script',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'check', node_type: 'condition', label: 'Is it big?', config: { expression: '$input.n > 10' } },
    { id: 'big', node_type: 'transform', label: 'Handle a big one', config: { expression: '{"size": "big"}' } },
    { id: 'small', node_type: 'transform', label: 'Handle a small one', config: { expression: '{"size": "small"}' } },
    { id: 'merge', node_type: 'transform', label: 'Report', config: { expression: '$input' } },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'check' },
    { source_node_id: 'check', source_handle: 'true', target_node_id: 'big' },
    { source_node_id: 'check', source_handle: 'false', target_node_id: 'small' },
    { source_node_id: 'big', target_node_id: 'merge' },
    { source_node_id: 'small', target_node_id: 'merge' },
  ],
};

/** The few browser globals `measure` uses (the test program is compiled without the DOM library). */
interface Box { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }
interface El { getAttribute(n: string): string | null; getBoundingClientRect(): Box & { readonly height: number }; readonly style: { readonly transform: string } }
interface Win {
  readonly document: { querySelectorAll(s: string): Iterable<El>; querySelector(s: string): El | null };
  getComputedStyle(e: El): { readonly fontSize: string };
  requestAnimationFrame(f: () => void): number;
}

interface Measured {
  readonly overlaps: string[];
  readonly smallestLabelPx: number;
  readonly nodes: number;
}

/** What a person sees: node boxes on the screen (no two may overlap) and the rendered height of the smallest label's text. */
async function measure(page: Page): Promise<Measured> {
  await page.locator('.canvas[data-fitted="true"]').waitFor();
  await page.locator('.react-flow__node').first().waitFor();
  // Let the viewport transform settle (xyflow applies it on the next frame).
  await page.evaluate(() => new Promise((r) => (globalThis as unknown as Win).requestAnimationFrame(() => r(null))));
  return page.evaluate(() => {
    const w = globalThis as unknown as Win;
    const d = w.document;
    const boxes = [...d.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.getAttribute('data-id') ?? '?', r: n.getBoundingClientRect() }));
    const overlaps: string[] = [];
    for (const a of boxes) {
      for (const b of boxes) {
        if (a.id < b.id && a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) overlaps.push(`${a.id} overlaps ${b.id}`);
      }
    }
    // The label's font size times the canvas's scale: the pixel size of the text on screen.
    const viewport = d.querySelector('.react-flow__viewport');
    const scale = Number(/scale\(([\d.]+)\)/.exec(viewport?.style.transform ?? '')?.[1] ?? 'NaN');
    const sizes = [...d.querySelectorAll('.wf-node-label')].map((l) => parseFloat(w.getComputedStyle(l).fontSize) * scale);
    return { overlaps, smallestLabelPx: Math.min(...sizes), nodes: boxes.length };
  });
}

describe('the canvas opens readable: laid out, no overlaps, labels at least 11 px', () => {
  let e: E2E;
  let page: Page;
  const workflows: { name: string; id: string; nodes: number }[] = [];
  beforeAll(async () => {
    e = await startE2E({ templatesDir: join(REPO, 'templates') });
    page = e.page;
    const templates = await e.server.call('GET', '/automation/templates');
    expect(templates.body.items.length).toBeGreaterThanOrEqual(5);
    for (const t of templates.body.items as { id: string; name: string }[]) {
      const wf = await e.server.call('POST', `/automation/templates/${t.id}/use`, { body: {} });
      expect(wf.status).toBe(201);
      workflows.push({ name: t.name, id: wf.body.id, nodes: wf.body.nodes.length });
    }
    const built = await e.server.call('POST', '/automation/workflows', { body: UNPLACED });
    expect(built.status).toBe(201);
    workflows.push({ name: UNPLACED.name, id: built.body.id, nodes: UNPLACED.nodes.length });
    await login(page, e.url);
  }, 180_000);
  afterAll(async () => e?.close());

  it('in the builder, for every built-in template and a workflow without positions', async () => {
    for (const wf of workflows) {
      await page.goto(`${e.url}/workflows/${wf.id}`);
      const m = await measure(page);
      await screenshot(page, `canvas-builder-${wf.name.replace(/\W+/g, '-')}`);
      expect(m.nodes, wf.name).toBe(wf.nodes);
      expect(m.overlaps, wf.name).toEqual([]);
      expect(m.smallestLabelPx, wf.name).toBeGreaterThanOrEqual(11);
    }
  }, 120_000);

  it('in the execution view of a test run of each', async () => {
    for (const wf of workflows) {
      // Every step but the trigger disabled: the run passes through and touches nothing outside.
      const def = await e.server.call('GET', `/automation/workflows/${wf.id}`);
      for (const n of def.body.nodes as { id: string; node_type: string }[]) {
        if (n.node_type !== 'trigger') expect((await e.server.call('PATCH', `/automation/workflows/${wf.id}/nodes/${n.id}`, { body: { disabled: true } })).status).toBe(200);
      }
      const x = await e.server.call('POST', `/automation/workflows/${wf.id}/execute`, { body: { mode: 'test', input_data: {} } });
      expect(x.status, JSON.stringify(x.body)).toBe(202);
      await untilStatus(e.server, x.body.id);
      await page.goto(`${e.url}/executions/${x.body.id}`);
      const m = await measure(page);
      await screenshot(page, `canvas-execution-${wf.name.replace(/\W+/g, '-')}`);
      expect(m.nodes, wf.name).toBe(wf.nodes);
      expect(m.overlaps, wf.name).toEqual([]);
      expect(m.smallestLabelPx, wf.name).toBeGreaterThanOrEqual(11);
    }
  }, 180_000);

  it('the template gallery draws every built-in template with thumbnail labels at least 9 px on screen', async () => {
    await page.goto(`${e.url}/templates`);
    await page.locator('.graph-preview text').first().waitFor();
    const heights = await page.locator('.graph-preview text').evaluateAll((ts) => ts.map((t) => (t as unknown as El).getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThanOrEqual(workflows.length - 1);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(9);
    await screenshot(page, 'canvas-template-gallery');
  });
});
