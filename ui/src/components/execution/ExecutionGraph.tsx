import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useState } from 'react';
import type { DefinitionDocument, NodeRun } from '../../api/types';
import { GraphStore } from '../../canvas/graph-store';
import { handlesFrom } from '../../canvas/handles';
import { nodeStatuses } from '../../canvas/run-state';
import { WorkflowCanvas } from '../builder/WorkflowCanvas';

/** The version an execution ran, read-only, each node coloured by its status; clicking a node selects it. */
export function ExecutionGraph({ definition, runs, onSelect }: { definition: DefinitionDocument; runs: Iterable<NodeRun>; onSelect: (id: string | undefined) => void }) {
  const [store] = useState(() => {
    const s = new GraphStore(handlesFrom(undefined));
    s.load({ nodes: definition.nodes, edges: definition.edges ?? [] });
    return s;
  });
  useEffect(() => store.setStatuses(nodeStatuses(runs)), [store, runs]);
  return (
    <div className="execution-graph">
      <ReactFlowProvider>
        <WorkflowCanvas store={store} editable={false} initialViewport={null} minimap="when-clamped" onNodeClick={onSelect} onPaneClick={() => onSelect(undefined)} />
      </ReactFlowProvider>
    </div>
  );
}
