import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { acceptsInput, handleTone } from '../../canvas/handles';
import { NODE_META } from '../../canvas/node-meta';
import type { NodeData } from '../../canvas/types';
import { NodeIcon } from '../NodeIcon';
import { useHandles } from './handles-context';

/** One node on the canvas: icon, label, type, live status, the engine's handles, validation marks. */
function WorkflowNodeViewImpl({ data, selected }: NodeProps<Node<NodeData, 'itw'>>) {
  const { node, status, problems } = data;
  const handles = useHandles()(node.node_type);
  const meta = NODE_META[node.node_type];
  const classes = ['wf-node', status ? `st-${status}` : '', problems?.length ? 'has-problems' : '', node.disabled ? 'is-disabled' : '', selected ? 'is-selected' : ''];
  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={node.id} data-status={status ?? ''} title={problems?.join('\n')}>
      {acceptsInput(node.node_type) ? <Handle type="target" position={Position.Left} className="wf-handle wf-handle-in" /> : null}
      <NodeIcon type={node.node_type} />
      <div className="wf-node-text">
        <div className="wf-node-label">{node.label || node.id}</div>
        <div className="wf-node-type">{meta.label}{node.label ? ` · ${node.id}` : ''}</div>
      </div>
      {status ? <span className={`wf-node-status badge badge-${status}`}>{status}</span> : null}
      {problems?.length ? <span className="wf-node-problem" role="img" aria-label={`${problems.length} problem(s)`}>!</span> : null}
      <div className="wf-handles-out">
        {handles.map((h) => (
          <div key={h} className={`wf-out tone-${handleTone(h)}`}>
            {handles.length > 1 || h !== 'out' ? <span className="wf-out-label">{h}</span> : null}
            <Handle type="source" id={h} position={Position.Right} className={`wf-handle wf-handle-out tone-${handleTone(h)}`} data-handle={h} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const WorkflowNodeView = memo(WorkflowNodeViewImpl);
