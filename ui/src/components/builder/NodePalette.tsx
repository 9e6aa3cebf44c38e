import type { DragEvent } from 'react';
import { NODE_TYPES, type NodeType, type NodeTypeInfo } from '../../api/types';
import { NODE_META } from '../../canvas/node-meta';
import { NodeIcon } from '../NodeIcon';
import { PALETTE_MIME } from './WorkflowCanvas';

const GROUPS = ['Start', 'Flow', 'Work', 'People'] as const;

/** The 13 node types: drag one onto the canvas, or press it to add it in the middle of the view. */
export function NodePalette({ types, onAdd, disabled }: { types: readonly NodeTypeInfo[] | undefined; onAdd: (t: NodeType) => void; disabled?: boolean }) {
  const info = new Map(types?.map((t) => [t.type, t]));
  const start = (e: DragEvent, t: NodeType) => {
    e.dataTransfer.setData(PALETTE_MIME, t);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label="Node palette">
      <h2 className="panel-title">Nodes</h2>
      {GROUPS.map((g) => (
        <div key={g} className="palette-group">
          <h3>{g}</h3>
          <ul>
            {NODE_TYPES.filter((t) => NODE_META[t].group === g).map((t) => {
              const available = info.get(t)?.available ?? true;
              return (
                <li key={t}>
                  <button
                    type="button"
                    className="palette-item"
                    draggable={!disabled && available}
                    onDragStart={(e) => start(e, t)}
                    onClick={() => onAdd(t)}
                    disabled={disabled || !available}
                    title={info.get(t)?.description ?? NODE_META[t].label}
                    data-node-type={t}
                  >
                    <NodeIcon type={t} size={14} />
                    <span>{info.get(t)?.label ?? NODE_META[t].label}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      <p className="palette-hint muted small">Drag onto the canvas or press to add. Connect a handle on the right of a node to the left side of another.</p>
    </aside>
  );
}
