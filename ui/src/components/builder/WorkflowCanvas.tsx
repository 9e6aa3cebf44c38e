import {
  Background, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, type Connection as FlowConnection, type EdgeChange as FlowEdgeChange,
  type Edge, type Node, type NodeChange as FlowNodeChange, type Viewport as FlowViewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import type { NodeType, Viewport } from '../../api/types';
import { openingViewport } from '../../canvas/fit';
import type { GraphStore } from '../../canvas/graph-store';
import { DEFAULT_CONFIG, NODE_META } from '../../canvas/node-meta';
import type { EdgeChange, NodeChange } from '../../canvas/types';
import { toast } from '../toast-store';
import { ConditionEdge } from './ConditionEdge';
import { EdgeEditingContext } from './edge-editing-context';
import { WorkflowNodeView } from './WorkflowNodeView';

const miniMapColor = (n: Node) => NODE_META[(n.data as { node: { node_type: NodeType } }).node.node_type]?.color ?? '#94a3b8';

export const PALETTE_MIME = 'application/x-itw-node-type';

const nodeTypes = { itw: WorkflowNodeView };
const edgeTypes = { itw: ConditionEdge };
// Props xyflow copies into its store: constants, so a re-render during a drag does not re-copy them.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
const PRO_OPTIONS = { hideAttribution: true };
const ARIA_LABELS = { 'node.a11yDescription.default': 'Press Enter or Space to select a node. Delete removes it. Arrow keys move it.' };

/**
 * The canvas: a thin shell over the GraphStore. It renders the store's snapshot and forwards every
 * change, connection and drop to it; rules (which handles connect, history) live in the store.
 */
export function WorkflowCanvas(props: {
  store: GraphStore;
  editable: boolean;
  initialViewport: Viewport | null;
  onViewport?: (v: Viewport) => void;
  onNodeClick?: (id: string) => void;
  onPaneClick?: () => void;
  /** The mini map: always, or only when the graph is larger than the pane at a legible zoom (small read-only views, where it would cover the graph). @default true */
  minimap?: boolean | 'when-clamped';
  /** Changing it fits the graph again (after an auto-layout). */
  fitKey?: number;
}) {
  const { store, editable, initialViewport, onViewport, onNodeClick, onPaneClick, minimap = true, fitKey = 0 } = props;
  const graph = useSyncExternalStore(store.subscribe, store.getState);
  const flow = useReactFlow();
  const measured = useNodesInitialized();
  const [clamped, setClamped] = useState(false);
  const [fitted, setFitted] = useState(initialViewport !== null);
  const fittedKey = useRef<number | undefined>(initialViewport ? fitKey : undefined);
  const box = useRef<HTMLDivElement>(null);

  // Not xyflow's fitView: it would shrink a large graph until its labels are unreadable.
  useEffect(() => {
    if (!measured || fittedKey.current === fitKey) return;
    fittedKey.current = fitKey;
    const pane = box.current?.getBoundingClientRect();
    const nodes = flow.getNodes().map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? 220, height: n.measured?.height ?? 64, trigger: (n.data as { node: { node_type: NodeType } }).node.node_type === 'trigger' }));
    const { viewport, clamped: c } = openingViewport(nodes, nodes.find((n) => n.trigger), { width: pane?.width ?? 0, height: pane?.height ?? 0 });
    void flow.setViewport(viewport);
    setClamped(c);
    setFitted(true);
  }, [measured, fitKey, flow]);

  const onNodesChange = useCallback((changes: FlowNodeChange[]) => store.nodeChanges(changes as unknown as NodeChange[]), [store]);
  const onEdgesChange = useCallback((changes: FlowEdgeChange[]) => store.edgeChanges(changes as unknown as EdgeChange[]), [store]);
  const onConnect = useCallback((c: FlowConnection) => {
    const problem = store.connect(c);
    if (problem) toast(`Cannot connect: ${problem}`, 'error');
  }, [store]);
  const isValidConnection = useCallback((c: FlowConnection | Edge) => store.canConnect({ source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }), [store]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(PALETTE_MIME) as NodeType;
    if (!type || !(type in NODE_META)) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    store.addNode(type, { x: Math.round(p.x - 100), y: Math.round(p.y - 30) }, { ...(DEFAULT_CONFIG[type] ?? {}) });
  }, [flow, store]);

  const handleNodeClick = useCallback((_e: unknown, n: Node) => onNodeClick?.(n.id), [onNodeClick]);
  const handlePaneClick = useCallback(() => onPaneClick?.(), [onPaneClick]);
  const handleMoveEnd = useCallback(
    (_e: unknown, v: FlowViewport) => onViewport?.({ x: Math.round(v.x), y: Math.round(v.y), zoom: Math.round(v.zoom * 1000) / 1000 }),
    [onViewport],
  );
  const edgeEditing = useMemo(() => ({ editable, setCondition: (id: string, c: string) => store.updateEdge(id, { condition: c }) }), [editable, store]);

  return (
    <EdgeEditingContext.Provider value={edgeEditing}>
      <div ref={box} className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" data-fitted={fitted}>
        <ReactFlow
          nodes={graph.nodes as unknown as Node[]}
          edges={graph.edges as unknown as Edge[]}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onNodeClick={handleNodeClick}
          onPaneClick={handlePaneClick}
          onMoveEnd={handleMoveEnd}
          {...(initialViewport ? { defaultViewport: initialViewport } : {})}
          nodesDraggable={editable}
          nodesConnectable={editable}
          elementsSelectable
          deleteKeyCode={editable ? DELETE_KEYS : null}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          selectionKeyCode="Shift"
          onlyRenderVisibleElements={graph.nodes.length > 150}
          minZoom={0.1}
          maxZoom={2}
          proOptions={PRO_OPTIONS}
          ariaLabelConfig={ARIA_LABELS}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
          {minimap === true || (minimap === 'when-clamped' && clamped) ? <MiniMap pannable zoomable ariaLabel="Mini map of the workflow" nodeColor={miniMapColor} /> : null}
        </ReactFlow>
      </div>
    </EdgeEditingContext.Provider>
  );
}
