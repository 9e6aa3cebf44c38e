import { useId, useState, type FormEvent } from 'react';
import type { Variable } from '../../api/types';
import { Modal } from '../Modal';

export interface RunRequest {
  readonly input_data: unknown;
  readonly variables: Record<string, unknown>;
}

function initial(v: Variable): string {
  if (v.default === undefined) return '';
  return typeof v.default === 'string' ? v.default : JSON.stringify(v.default);
}

function parseValue(v: Variable, text: string): unknown {
  if (v.type === 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Asks for the run's input: one field per declared variable, and the trigger input as JSON. */
export function RunDialog({ open, variables, onClose, onRun, busy }: { open: boolean; variables: readonly Variable[]; onClose: () => void; onRun: (r: RunRequest) => void; busy: boolean }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(variables.map((v) => [v.name, initial(v)])));
  const [input, setInput] = useState('{}');
  const [error, setError] = useState<string>();
  const inputId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let input_data: unknown;
    try {
      input_data = input.trim() === '' ? {} : JSON.parse(input);
    } catch {
      setError('The input is not valid JSON.');
      return;
    }
    const vars: Record<string, unknown> = {};
    for (const v of variables) {
      const text = values[v.name] ?? '';
      if (text !== '' && text !== initial(v)) vars[v.name] = parseValue(v, text);
      else if (text === '' && v.required && v.default === undefined) {
        setError(`${v.name} is required.`);
        return;
      }
    }
    setError(undefined);
    onRun({ input_data, variables: vars });
  };
  return (
    <Modal title="Run workflow" open={open} onClose={onClose}>
      <form onSubmit={submit} className="run-form">
        {error ? <div className="banner banner-error" role="alert">{error}</div> : null}
        {variables.length > 0 ? (
          <fieldset>
            <legend>Variables</legend>
            {variables.map((v) => (
              <label key={v.name} className="field">
                <span>{v.name} <span className="muted small">({v.type}{v.required ? ', required' : ''})</span></span>
                <input
                  type={v.secret ? 'password' : 'text'}
                  value={values[v.name] ?? ''}
                  onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
                  autoComplete="off"
                />
                {v.description ? <span className="muted small">{v.description}</span> : null}
              </label>
            ))}
          </fieldset>
        ) : <p className="muted small">This workflow declares no variables.</p>}
        <label htmlFor={inputId} className="expr-label">Input data (JSON: <code>$trigger</code> and the entry nodes' input)</label>
        <textarea id={inputId} className="form-control mono" rows={5} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Starting…' : 'Run'}</button>
        </div>
      </form>
    </Modal>
  );
}
