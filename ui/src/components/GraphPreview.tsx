import { useMemo } from 'react';
import type { DefinitionDocument, NodeType } from '../api/types';
import { NODE_META } from '../canvas/node-meta';
import { previewShape } from '../canvas/preview';
import { NODE_SIZE } from '../canvas/types';

/** The size a gallery card shows the picture at (styles.css .template-preview), for sizing its text. */
const SHOWN = { width: 400, height: 210 } as const;
/** Labels are drawn at least this many pixels high on screen. */
const MIN_TEXT_PX = 10;

/**
 * A static picture of a workflow graph (SVG): cheap enough for a gallery of many. A large graph is
 * drawn small, so its labels are drawn larger (and shortened to fit their box) to stay readable.
 */
export function GraphPreview({ definition, label }: { definition: Pick<DefinitionDocument, 'nodes' | 'edges'>; label: string }) {
  const shape = useMemo(() => previewShape(definition), [definition]);
  const pad = 20;
  const unitsPerPx = Math.max((shape.width + 2 * pad) / SHOWN.width, (shape.height + 2 * pad) / SHOWN.height);
  const fontSize = Math.min(Math.max(22, MIN_TEXT_PX * unitsPerPx), NODE_SIZE.height - 8);
  const maxChars = Math.max(4, Math.floor((NODE_SIZE.width - 34) / (0.56 * fontSize)));
  return (
    <svg className="graph-preview" viewBox={`${-pad} ${-pad} ${shape.width + 2 * pad} ${shape.height + 2 * pad}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
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
