import { useState } from 'react';
import type { ActionInfo, JsonObject } from '../../api/types';
import { JsonView } from '../JsonView';
import { SchemaForm } from '../../forms/SchemaForm';
import { ActionPicker } from './ActionPicker';

/** Params of an action node: `params` when present, else the flat keys beside `action_type` (both are valid). */
function paramsOf(config: JsonObject): JsonObject {
  if (config['params'] && typeof config['params'] === 'object') return config['params'] as JsonObject;
  const { action_type: _a, ...flat } = config;
  return flat;
}

/** An action node's config: which catalogue action it runs, and that action's params as a form. */
export function ActionConfig({ nodeId, config, actions, onChange }: { nodeId: string; config: JsonObject; actions: readonly ActionInfo[]; onChange: (c: JsonObject) => void }) {
  const actionId = typeof config['action_type'] === 'string' ? config['action_type'] : '';
  const action = actions.find((a) => a.id === actionId);
  const [picking, setPicking] = useState(!action);
  if (picking || !action) {
    return (
      <div>
        {actionId && !action ? <div className="banner banner-error" role="alert">Unknown action “{actionId}”: pick one from the catalogue.</div> : null}
        <ActionPicker actions={actions} current={actionId} onPick={(id) => {
          onChange({ action_type: id, params: id === actionId ? paramsOf(config) : {} });
          setPicking(false);
        }} />
      </div>
    );
  }
  return (
    <div className="action-config">
      <div className="action-head">
        <div>
          <strong>{action.name}</strong> <span className="tag">{action.category}</span>
          <p className="muted small">{action.description}</p>
        </div>
        <button type="button" className="btn btn-small" onClick={() => setPicking(true)}>Change action</button>
      </div>
      <SchemaForm idPrefix={`params_${nodeId}`} schema={action.params} value={paramsOf(config)} onChange={(params) => onChange({ action_type: action.id, params })} />
      <details className="output-schema">
        <summary>Output of this action</summary>
        <JsonView value={action.output} label={`Output schema of ${action.name}`} />
      </details>
    </div>
  );
}
