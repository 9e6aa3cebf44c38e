import { useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import { workflows } from '../../api/endpoints';
import type { JsonObject, TriggerTypeInfo } from '../../api/types';
import { useResource } from '../../api/use-resource';
import { SchemaForm } from '../../forms/SchemaForm';
import { formatTime } from '../format';
import { StatusBadge } from '../StatusBadge';
import { toast } from '../toast-store';

const AUTH_TRIGGERS = ['webhook', 'alert'];

/** What the editor says of an HTTP trigger's auth: `none` is allowed, never quietly. */
export function openAuthWarning(type: string, config: JsonObject): string | null {
  if (!AUTH_TRIGGERS.includes(type)) return null;
  const auth = config['auth'];
  const mode = typeof auth === 'object' && auth !== null && !Array.isArray(auth) ? (auth as JsonObject)['mode'] : undefined;
  if (mode === undefined) return 'Choose how callers authenticate (auth.mode): hmac, header, basic or a vendor mode. A trigger without one cannot be activated.';
  if (mode === 'none') return 'Auth is "none": anyone who can reach this URL can start the workflow with any payload. Prefer hmac (signed, timestamped) or a token.';
  return null;
}

/**
 * A trigger node's type, and the workflow's registered triggers (schedules, webhooks, ...): those
 * are server resources that start the active version, added and removed here directly.
 */
export function TriggerConfig({ workflowId, nodeId, config, triggerTypes, onChange, editable }: {
  workflowId: string; nodeId: string; config: JsonObject; triggerTypes: readonly TriggerTypeInfo[]; onChange: (c: JsonObject) => void; editable: boolean;
}) {
  const typeId = useId();
  const current = typeof config['trigger_type'] === 'string' ? config['trigger_type'] : 'manual';
  const info = triggerTypes.find((t) => t.type === current);
  const { trigger_type: _t, ...rest } = config;
  const warning = openAuthWarning(current, rest);
  return (
    <div className="trigger-config">
      <label htmlFor={typeId} className="expr-label">Trigger type</label>
      <select id={typeId} className="form-control" value={current} disabled={!editable} onChange={(e) => onChange({ ...rest, trigger_type: e.target.value })}>
        {(triggerTypes.length ? triggerTypes : [{ type: 'manual', label: 'Manual' }]).map((t) => <option key={t.type} value={t.type}>{t.label}</option>)}
      </select>
      {warning ? <div className="banner banner-warning" role="status" data-testid="trigger-auth-warning">{warning}</div> : null}
      {info?.config_schema ? (
        <SchemaForm idPrefix={`trigger_${nodeId}`} schema={info.config_schema} value={rest} onChange={(v) => onChange({ ...v, trigger_type: current })} disabled={!editable} />
      ) : null}
      <RegisteredTriggers workflowId={workflowId} defaultType={current} triggerTypes={triggerTypes} editable={editable} />
    </div>
  );
}

function RegisteredTriggers({ workflowId, defaultType, triggerTypes, editable }: { workflowId: string; defaultType: string; triggerTypes: readonly TriggerTypeInfo[]; editable: boolean }) {
  const list = useResource(() => workflows.triggers(workflowId), [workflowId]);
  const [type, setType] = useState(defaultType === 'manual' ? 'schedule' : defaultType);
  const [text, setText] = useState('{\n  "cron": "*/5 * * * *"\n}');
  const ids = { type: useId(), config: useId() };
  const add = async () => {
    let config: JsonObject;
    try {
      config = JSON.parse(text || '{}') as JsonObject;
    } catch {
      toast('The trigger config is not valid JSON', 'error');
      return;
    }
    try {
      await workflows.addTrigger(workflowId, { trigger_type: type, config });
      toast('Trigger added', 'success');
      await list.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const remove = async (id: string) => {
    try {
      await workflows.removeTrigger(workflowId, id);
      await list.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const items = list.data?.items ?? [];
  return (
    <section className="subsection" aria-label="Registered triggers">
      <h3>Registered triggers</h3>
      <p className="muted small">They start the active version. Manual runs need none.</p>
      {items.length === 0 ? <p className="muted small">No triggers registered.</p> : (
        <ul className="plain-list">
          {items.map((t) => (
            <li key={t.id} className="trigger-row">
              <span><strong>{t.trigger_type}</strong> <StatusBadge status={t.enabled ? t.status : 'disabled'} /></span>
              {openAuthWarning(t.trigger_type, t.config) ? <span className="banner banner-warning small" role="status">{openAuthWarning(t.trigger_type, t.config)}</span> : null}
              <span className="muted small">fired {t.fire_count}× · last {formatTime(t.last_fired_at)}{t.last_error ? ` · ${t.last_error}` : ''}</span>
              {editable ? <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(t.id)}>Remove</button> : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <div className="trigger-add">
          <label htmlFor={ids.type} className="expr-label">Type</label>
          <select id={ids.type} className="form-control" value={type} onChange={(e) => setType(e.target.value)}>
            {triggerTypes.filter((t) => t.type !== 'manual').map((t) => <option key={t.type} value={t.type}>{t.label}</option>)}
          </select>
          <label htmlFor={ids.config} className="expr-label">Config (JSON)</label>
          <textarea id={ids.config} className="form-control mono" rows={3} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          <button type="button" className="btn btn-small" onClick={() => void add()}>Add trigger</button>
        </div>
      ) : null}
    </section>
  );
}
