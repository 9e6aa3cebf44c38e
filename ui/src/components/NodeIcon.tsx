import type { NodeType } from '../api/types';
import { NODE_META } from '../canvas/node-meta';

export function NodeIcon({ type, size = 18 }: { type: NodeType; size?: number }) {
  const meta = NODE_META[type];
  return (
    <span className="node-icon" style={{ background: meta.color }} aria-hidden="true">
      <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="#fff" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
        <path d={meta.icon} />
      </svg>
    </span>
  );
}
