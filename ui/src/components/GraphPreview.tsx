import { useMemo } from 'react';
import type { DefinitionDocument, NodeType } from '../api/types';
import { NODE_META } from '../canvas/node-meta';
import { previewShape } from '../canvas/preview';
import { NODE_SIZE } from '../canvas/types';

/** A static picture of a workflow graph (SVG): cheap enough for a gallery of many. */
export function GraphPreview({ definition, label }: { definition: Pick<DefinitionDocument, 'nodes' | 'edges'>; label: string }) {
  const shape = useMemo(() => previewShape(definition), [definition]);
  const pad = 20;
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
            <text x={28} y={NODE_SIZE.height / 2 + 8} fontSize={22} fill="#0f172a">{n.label.length > 16 ? `${n.label.slice(0, 15)}…` : n.label}</text>
          </g>
        );
      })}
    </svg>
  );
}
