import { useState } from 'react';
import type { ActionInfo, NodeTypeInfo, TriggerTypeInfo } from '../../api/types';
import type { GraphStore, GraphSummary } from '../../canvas/graph-store';
import { runsOf } from '../../canvas/run-state';
import { EdgeEditor } from './EdgeEditor';
import { NodeEditor } from './NodeEditor';
import { NodeRunDetails } from './NodeRunDetails';
import { RunSummary } from './RunSummary';
import type { FollowedRun } from './use-execution-follow';

/** Right-hand panel: the selected node (settings or run data), the selected edge, or the run / workflow summary. */
export function BuilderSidePanel(props: {
  workflowId: string;
  summary: GraphSummary;
  store: GraphStore;
  nodeTypes: readonly NodeTypeInfo[];
  actions: readonly ActionInfo[];
  triggerTypes: readonly TriggerTypeInfo[];
  editable: boolean;
  run: FollowedRun | undefined;
  onClearRun: () => void;
  generalProblems: readonly string[];
}) {
  const { workflowId, summary, store, nodeTypes, actions, triggerTypes, editable, run, onClearRun, generalProblems } = props;
  const [tab, setTab] = useState<'run' | 'config'>('run');
  const { selectedNodes, selectedEdges } = summary;
  const node = selectedNodes.length === 1 ? selectedNodes[0] : undefined;

  let body;
  if (node) {
    const runs = run ? runsOf(run.runs.values(), node.id) : [];
    const showRun = run !== undefined && tab === 'run';
    body = (
      <>
        {run ? (
          <div className="tabs" role="tablist" aria-label="Node panel">
            <button type="button" role="tab" aria-selected={showRun} className={showRun ? 'tab active' : 'tab'} onClick={() => setTab('run')}>Run data</button>
            <button type="button" role="tab" aria-selected={!showRun} className={!showRun ? 'tab active' : 'tab'} onClick={() => setTab('config')}>Configure</button>
          </div>
        ) : null}
        {showRun ? (
          <section aria-label={`Run data of ${node.id}`}>
            <h2 className="panel-title">{node.data.node.label || node.id}</h2>
            <NodeRunDetails nodeId={node.id} runs={runs} />
          </section>
        ) : (
          <NodeEditor
            key={node.id}
            workflowId={workflowId}
            node={node}
            nodeType={nodeTypes.find((t) => t.type === node.data.node.node_type)}
            actions={actions}
            triggerTypes={triggerTypes}
            editable={editable}
            onChange={(p) => store.updateNode(node.id, p)}
            onDelete={() => store.deleteSelected()}
          />
        )}
      </>
    );
  } else if (selectedNodes.length > 1) {
    body = (
      <section aria-label="Selection">
        <h2 className="panel-title">{selectedNodes.length} nodes selected</h2>
        <p className="muted small">Copy (Ctrl+C), paste (Ctrl+V), move them together, or delete them.</p>
        {editable ? <button type="button" className="btn btn-danger btn-small" onClick={() => store.deleteSelected()}>Delete selected</button> : null}
      </section>
    );
  } else if (selectedEdges.length === 1) {
    const edge = selectedEdges[0]!;
    body = <EdgeEditor edge={edge} editable={editable} onCondition={(c) => store.updateEdge(edge.id, { condition: c })} onDelete={() => store.deleteSelected()} />;
  } else if (run) {
    body = <RunSummary run={run} onClear={onClearRun} />;
  } else {
    body = (
      <section aria-label="Workflow">
        <h2 className="panel-title">Workflow</h2>
        <p className="muted small">{summary.nodeCount} nodes, {summary.edgeCount} edges. Select a node to configure it; shift-drag to select several.</p>
        {summary.nodeCount === 0 ? <p>Start by dragging a <strong>Trigger</strong> from the palette.</p> : null}
      </section>
    );
  }
  return (
    <aside className="side-panel" aria-label="Details">
      {generalProblems.length > 0 ? (
        <div className="banner banner-error" role="alert">
          <strong>Not published:</strong>
          <ul>{generalProblems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : null}
      {body}
    </aside>
  );
}
