import { useId } from 'react';
import type { ActionInfo, JsonObject, NodeTypeInfo, RetryPolicy, TriggerTypeInfo } from '../../api/types';
import { NODE_META } from '../../canvas/node-meta';
import type { EditorNode } from '../../canvas/types';
import { SchemaForm } from '../../forms/SchemaForm';
import { NodeIcon } from '../NodeIcon';
import { ActionConfig } from './ActionConfig';
import { TriggerConfig } from './TriggerConfig';

type Patch = { label?: string; config?: JsonObject; disabled?: boolean; timeout_seconds?: number | null; retry?: RetryPolicy | null };

const ADVANCED_SCHEMA = {
  type: 'object',
  properties: {
    disabled: { type: 'boolean', title: 'Disabled (passes its input through, recorded as skipped)' },
    timeout_seconds: { type: 'number', minimum: 0, title: 'Timeout (seconds)' },
    retry: {
      type: 'object', title: 'Retry policy (overrides the workflow\'s)',
      properties: {
        max_attempts: { type: 'integer', minimum: 1, maximum: 100, title: 'Max attempts' },
        backoff: { type: 'string', enum: ['fixed', 'exponential'], title: 'Backoff' },
        initial_seconds: { type: 'number', minimum: 0, title: 'First wait (seconds)' },
        max_seconds: { type: 'number', minimum: 0, title: 'Longest wait (seconds)' },
      },
    },
  },
};

/** The side panel for one node: label, its type's config form (action and trigger have their own), and retry/timeout. */
export function NodeEditor(props: {
  workflowId: string;
  node: EditorNode;
  nodeType: NodeTypeInfo | undefined;
  actions: readonly ActionInfo[];
  triggerTypes: readonly TriggerTypeInfo[];
  editable: boolean;
  onChange: (p: Patch) => void;
  onDelete: () => void;
}) {
  const { workflowId, node, nodeType, actions, triggerTypes, editable, onChange, onDelete } = props;
  const n = node.data.node;
  const labelId = useId();
  const problems = node.data.problems ?? [];
  const advanced: JsonObject = { disabled: n.disabled ?? false, ...(n.timeout_seconds != null ? { timeout_seconds: n.timeout_seconds } : {}), ...(n.retry ? { retry: n.retry } : {}) };
  return (
    <section className="node-editor" aria-label={`Settings of ${n.label || n.id}`}>
      <div className="panel-head">
        <NodeIcon type={n.node_type} />
        <div>
          <h2 className="panel-title">{n.label || n.id}</h2>
          <div className="muted small">{NODE_META[n.node_type].label} · id <code>{n.id}</code></div>
        </div>
      </div>
      {nodeType?.description ? <p className="muted small">{nodeType.description}</p> : null}
      {problems.length > 0 ? (
        <div className="banner banner-error" role="alert">
          <strong>The server found {problems.length === 1 ? 'a problem' : `${problems.length} problems`}:</strong>
          <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      ) : null}
      <label htmlFor={labelId} className="expr-label">Label</label>
      <input id={labelId} className="form-control" value={n.label ?? ''} placeholder={n.id} disabled={!editable} onChange={(e) => onChange({ label: e.target.value })} />
      <h3 className="section-title">Configuration</h3>
      {n.node_type === 'action' ? (
        <ActionConfig nodeId={n.id} config={n.config} actions={actions} onChange={(config) => onChange({ config })} />
      ) : n.node_type === 'trigger' ? (
        <TriggerConfig workflowId={workflowId} nodeId={n.id} config={n.config} triggerTypes={triggerTypes} editable={editable} onChange={(config) => onChange({ config })} />
      ) : nodeType && Object.keys((nodeType.config_schema['properties'] as object | undefined) ?? {}).length > 0 ? (
        <SchemaForm idPrefix={`config_${n.id}`} schema={nodeType.config_schema} value={n.config} onChange={(config) => onChange({ config })} disabled={!editable} />
      ) : (
        <p className="muted small">This node type has nothing to configure.</p>
      )}
      <details className="advanced">
        <summary>Retry, timeout, disable</summary>
        <SchemaForm
          idPrefix={`adv_${n.id}`}
          schema={ADVANCED_SCHEMA}
          value={advanced}
          disabled={!editable}
          onChange={(v) => {
            const retry = v['retry'] as RetryPolicy | undefined;
            onChange({
              disabled: v['disabled'] === true,
              timeout_seconds: typeof v['timeout_seconds'] === 'number' ? v['timeout_seconds'] : null,
              retry: retry && typeof retry.max_attempts === 'number' ? retry : null,
            });
          }}
        />
      </details>
      {editable ? <button type="button" className="btn btn-danger btn-small" onClick={onDelete}>Delete node</button> : null}
    </section>
  );
}
