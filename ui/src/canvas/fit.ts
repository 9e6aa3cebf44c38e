import type { Viewport } from '../api/types';

/** Node labels are 14 px (styles.css); below this zoom they render under 11 px and nobody can read them. */
export const LABEL_PX = 14;
export const MIN_LEGIBLE_ZOOM = Math.ceil((11 / LABEL_PX) * 100) / 100;
const MAX_FIT_ZOOM = 1.25;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The viewport a graph opens at: all of it, centred, when that fits at a legible zoom; otherwise the
 * legible zoom with the entry node (the trigger) at the left, level with the middle of the pane,
 * and the rest of the graph to its right (the mini map shows it). `clamped` says which.
 */
export function openingViewport(nodes: readonly Rect[], entry: Rect | undefined, pane: { width: number; height: number }, padding = 40): { viewport: Viewport; clamped: boolean } {
  if (nodes.length === 0 || pane.width <= 0 || pane.height <= 0) return { viewport: { x: 0, y: 0, zoom: 1 }, clamped: false };
  const minX = Math.min(...nodes.map((n) => n.x));
  const minY = Math.min(...nodes.map((n) => n.y));
  const maxX = Math.max(...nodes.map((n) => n.x + n.width));
  const maxY = Math.max(...nodes.map((n) => n.y + n.height));
  const fit = Math.min((pane.width - 2 * padding) / (maxX - minX), (pane.height - 2 * padding) / (maxY - minY), MAX_FIT_ZOOM);
  if (fit >= MIN_LEGIBLE_ZOOM) {
    return { viewport: { x: (pane.width - (maxX - minX) * fit) / 2 - minX * fit, y: (pane.height - (maxY - minY) * fit) / 2 - minY * fit, zoom: fit }, clamped: false };
  }
  const zoom = MIN_LEGIBLE_ZOOM;
  const anchor = entry ?? nodes[0]!;
  // Left edge: the graph reads left to right from the trigger. Vertically: the trigger in the middle,
  // unless the graph is short enough to show whole, then the graph in the middle.
  const graphFitsHeight = (maxY - minY) * zoom <= pane.height - 2 * padding;
  const y = graphFitsHeight ? (pane.height - (maxY - minY) * zoom) / 2 - minY * zoom : pane.height / 2 - (anchor.y + anchor.height / 2) * zoom;
  return { viewport: { x: padding - anchor.x * zoom, y, zoom }, clamped: true };
}
