import { useMemo } from 'react';
import type { DefinitionDocument, NodeType } from '../api/types';
import { NODE_META } from '../canvas/node-meta';
import { previewShape } from '../canvas/preview';
import { NODE_SIZE } from '../canvas/types';

/** The size a gallery card shows the picture at (styles.css .template-preview), for sizing its text. */
const SHOWN = { width: 400, height: 210 } as const;
/** Labels are drawn at least this many pixels high on screen. */
const MIN_TEXT_PX = 10;
/** The most graph units one screen pixel may show: beyond it labels cannot be both legible and fit their box. */
const MAX_UNITS_PER_PX = 3.2;

/**
 * A static picture of a workflow graph (SVG): cheap enough for a gallery of many. Labels are drawn
 * large enough to read at card size (shortened to fit their box); a graph too large for that shows
 * its start, from the trigger, as the canvas opens it (the card's node count says how many more).
 */
export function GraphPreview({ definition, label }: { definition: Pick<DefinitionDocument, 'nodes' | 'edges'>; label: string }) {
  const shape = useMemo(() => previewShape(definition), [definition]);
  const pad = 20;
  const natural = Math.max((shape.width + 2 * pad) / SHOWN.width, (shape.height + 2 * pad) / SHOWN.height);
  const unitsPerPx = Math.min(natural, MAX_UNITS_PER_PX);
  const fontSize = Math.max(22, MIN_TEXT_PX * unitsPerPx);
  const maxChars = Math.max(4, Math.floor((NODE_SIZE.width - 34) / (0.56 * fontSize)));
  const cropped = natural > MAX_UNITS_PER_PX;
  const view = cropped ? cropAtStart(shape, unitsPerPx, pad) : `${-pad} ${-pad} ${shape.width + 2 * pad} ${shape.height + 2 * pad}`;
  return (
    <svg className="graph-preview" viewBox={view} role="img" aria-label={cropped ? `${label} (its start)` : label} preserveAspectRatio={cropped ? 'xMinYMid meet' : 'xMidYMid meet'}>
      {shape.edges.map((e) => (
        <path key={e.id} d={`M${e.x1},${e.y1} C${e.x1 + 50},${e.y1} ${e.x2 - 50},${e.y2} ${e.x2},${e.y2}`} fill="none" stroke="#94a3b8" strokeWidth={3} />
      ))}
      {shape.nodes.map((n) => {
        const meta = NODE_META[n.type as NodeType];
        return (
          <g key={n.id} transform={`translate(${n.x},${n.y})`}>
            <rect width={NODE_SIZE.width} height={NODE_SIZE.height} rx={10} fill="#fff" stroke={meta?.color ?? '#64748b'} strokeWidth={3} />
            <rect width={14} height={NODE_SIZE.height} rx={4} fill={meta?.color ?? '#64748b'} />
            <title>{n.label}</title>
            <text x={26} y={NODE_SIZE.height / 2 + fontSize * 0.36} fontSize={fontSize} fontWeight={600} fill="#0f172a">{n.label.length > maxChars ? `${n.label.slice(0, maxChars - 1)}…` : n.label}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** The viewBox of a graph's first columns, level with its first node (the layout puts the trigger there). */
function cropAtStart(shape: { height: number; nodes: readonly { x: number; y: number }[] }, unitsPerPx: number, pad: number): string {
  const w = SHOWN.width * unitsPerPx;
  const h = SHOWN.height * unitsPerPx;
  const first = shape.nodes.find((n) => n.x === 0) ?? shape.nodes[0];
  const y = shape.height + 2 * pad <= h ? (shape.height - h) / 2 : Math.min(Math.max((first?.y ?? 0) + NODE_SIZE.height / 2 - h / 2, -pad), shape.height + pad - h);
  return `${-pad} ${Math.round(y)} ${Math.round(w)} ${Math.round(h)}`;
}
