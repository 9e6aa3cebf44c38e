import { describe, expect, it } from 'vitest';
import { LABEL_PX, MIN_LEGIBLE_ZOOM, openingViewport } from './fit';

const box = (x: number, y: number) => ({ x, y, width: 260, height: 64 });

describe('openingViewport', () => {
  it('shows a small graph whole and centred, no larger than 125 %', () => {
    const { viewport, clamped } = openingViewport([box(0, 0), box(350, 0)], box(0, 0), { width: 1200, height: 800 });
    expect(clamped).toBe(false);
    expect(viewport.zoom).toBe(1.25);
    // Centred: the same margin left of the first node as right of the last.
    expect(viewport.x).toBeCloseTo(1200 - (viewport.x + 610 * viewport.zoom));
  });

  it('never opens a large graph below the zoom where labels are 11 px; the trigger is on screen at the left', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => box(i * 350, (i % 3) * 110));
    const { viewport, clamped } = openingViewport(nodes, nodes[0], { width: 1200, height: 700 });
    expect(clamped).toBe(true);
    expect(viewport.zoom).toBe(MIN_LEGIBLE_ZOOM);
    expect(LABEL_PX * viewport.zoom).toBeGreaterThanOrEqual(11);
    const triggerLeft = viewport.x + nodes[0]!.x * viewport.zoom;
    const triggerTop = viewport.y + nodes[0]!.y * viewport.zoom;
    expect(triggerLeft).toBeGreaterThanOrEqual(0);
    expect(triggerLeft).toBeLessThan(200);
    expect(triggerTop).toBeGreaterThanOrEqual(0);
    expect(triggerTop + 64 * viewport.zoom).toBeLessThanOrEqual(700);
  });

  it('keeps a tall graph centred on the trigger', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => box(350, i * 110));
    const trigger = box(0, 1500);
    const { viewport } = openingViewport([trigger, ...nodes], trigger, { width: 1200, height: 700 });
    expect(viewport.y + (1500 + 32) * viewport.zoom).toBeCloseTo(350);
  });
});
