import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { handleTone } from '../../canvas/handles';
import type { EdgeData } from '../../canvas/types';
import { useEdgeEditing } from './edge-editing-context';
import { ExpressionInput } from './ExpressionInput';

/**
 * An edge with its handle and condition as a label; when selected, the condition is edited right on
 * the edge (raw JSONata, checked as you type).
 */
function ConditionEdgeImpl(props: EdgeProps<Edge<EdgeData, 'itw'>>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const handle = props.sourceHandleId ?? 'out';
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const editing = useEdgeEditing();
  const condition = data?.condition ?? null;
  const tone = handleTone(handle);
  const showLabel = selected || condition || handle !== 'out' || data?.problems;
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} className={`wf-edge tone-${tone}${data?.problems ? ' has-problems' : ''}`} />
      {showLabel ? (
        <EdgeLabelRenderer>
          <div className={`wf-edge-label nodrag nopan${selected ? ' is-selected' : ''}`} style={{ transform: `translate(-50%, -50%) translate(${labelX}px,${labelY}px)` }}>
            {selected && editing.editable ? (
              <ExpressionInput
                label={`Condition of edge ${id}`}
                compact
                value={condition ?? ''}
                placeholder="condition (JSONata), empty = always"
                onChange={(v) => editing.setCondition(id, v)}
                allowEmpty
              />
            ) : (
              <span>{handle !== 'out' ? handle : ''}{condition ? `${handle !== 'out' ? ' · ' : ''}if ${condition}` : ''}{data?.problems ? ` ⚠ ${data.problems.join('; ')}` : ''}</span>
            )}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const ConditionEdge = memo(ConditionEdgeImpl);
