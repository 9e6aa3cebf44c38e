import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserGlobals } from './browser-globals.js';
import { login, screenshot, SCREENSHOTS, startE2E, type E2E } from './harness.js';

/** 300 nodes: a trigger and 299 transforms wired as a binary tree, on a 15-column grid (no saved viewport: the builder opens at a legible zoom around the trigger). */
function bigWorkflow(n = 300) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: i === 0 ? 'start' : `t${i}`,
    node_type: i === 0 ? 'trigger' : 'transform',
    config: i === 0 ? { trigger_type: 'manual' } : { expression: `$input` },
    position_x: (i % 15) * 280,
    position_y: Math.floor(i / 15) * 110,
  }));
  const edges = nodes.slice(1).map((node, k) => ({ source_node_id: nodes[Math.floor(k / 2)]!.id, target_node_id: node.id }));
  return { name: 'Three hundred nodes', nodes, edges };
}

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => {
    const w = globalThis as unknown as BrowserGlobals;
    w.requestAnimationFrame(() => w.requestAnimationFrame(() => r()));
  }));
}

describe('a 300-node workflow in the builder', () => {
  let e: E2E;
  let id = '';
  beforeAll(async () => {
    e = await startE2E();
    const wf = await e.server.call('POST', '/automation/workflows', { body: bigWorkflow() });
    expect(wf.status).toBe(201);
    id = wf.body.id;
    await login(e.page, e.url);
  }, 120_000);
  afterAll(async () => e?.close());

  it('opens and becomes interactive quickly, and a node drags without visible lag', async () => {
    const page = e.page;
    // Load-to-interactive: navigation start until every node is in the graph (the minimap draws all
    // 300; the canvas opens at a legible zoom around the trigger, so it draws the ones in view) and
    // the page has painted twice after.
    const t0 = Date.now();
    await page.goto(`${e.url}/workflows/${id}`);
    await page.locator('.react-flow__node[data-id="start"]').waitFor();
    await expect.poll(() => page.locator('.react-flow__minimap-node').count(), { timeout: 20_000 }).toBe(300);
    await nextFrames(page);
    const loadToInteractiveMs = Date.now() - t0;

    // Drag one node 200 px in 30 pointer moves while recording the frame intervals.
    const handle = page.locator('.react-flow__node[data-id="t2"]');
    const before = await handle.boundingBox();
    if (!before) throw new Error('node t2 is not visible');
    await page.evaluate(() => {
      const w = globalThis as unknown as BrowserGlobals;
      w.__frames = [];
      w.__stop = false;
      const tick = (t: number) => {
        w.__frames.push(t);
        if (!w.__stop) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
    const x = before.x + before.width / 2;
    const y = before.y + before.height / 2;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const dragStart = Date.now();
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 30; i++) await page.mouse.move(x + (200 * i) / 30, y + (60 * i) / 30);
    await page.mouse.up();
    await nextFrames(page);
    const dragMs = Date.now() - dragStart;
    const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const dragScriptMs = Math.round(((m1['ScriptDuration'] ?? 0) - (m0['ScriptDuration'] ?? 0)) * 1000);
    const frames = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserGlobals;
      w.__stop = true;
      return w.__frames;
    });
    const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
    const p95FrameMs = Math.round(gaps[Math.min(gaps.length - 1, Math.ceil(gaps.length * 0.95) - 1)] ?? 0);
    const maxFrameMs = Math.round(gaps[gaps.length - 1] ?? 0);
    const after = await handle.boundingBox();
    await screenshot(page, '30-builder-300-nodes');

    const result = { nodes: 300, loadToInteractiveMs, dragMs, dragMoves: 30, dragScriptMs, frames: gaps.length, p95FrameMs, maxFrameMs };
    writeFileSync(join(SCREENSHOTS, 'performance.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('300-node builder:', JSON.stringify(result));
    expect(after!.x - before.x).toBeGreaterThan(100);
    expect(e.unexpectedErrors()).toEqual([]);
    // Limits with headroom for a loaded 2-core CI machine; docs/BENCHMARKS.md has the measured numbers.
    expect(loadToInteractiveMs).toBeLessThan(10_000);
    expect(p95FrameMs).toBeLessThan(100);
  });
});
