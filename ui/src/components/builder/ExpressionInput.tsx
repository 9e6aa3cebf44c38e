import { useEffect, useId, useState } from 'react';
import { checkExpression, checkTemplates, loadParser } from '../../forms/expression-check';

/**
 * A text field for JSONata (`mode: 'expression'`) or for text with `{{ }}` templates
 * (`mode: 'template'`): the parse error shows under it as you type.
 */
export function ExpressionInput(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  mode?: 'expression' | 'template';
  multiline?: boolean;
  compact?: boolean;
  placeholder?: string;
  allowEmpty?: boolean;
  id?: string;
  hideLabel?: boolean;
}) {
  const { label, value, onChange, mode = 'expression', multiline, compact, placeholder, allowEmpty, hideLabel } = props;
  const generated = useId();
  const id = props.id ?? generated;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void loadParser().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  const problem = !ready || (allowEmpty && value.trim() === '') ? undefined : mode === 'expression' ? checkExpression(value) : checkTemplates(value);
  const errId = `${id}-error`;
  const common = {
    id, value, placeholder, spellCheck: false, className: `expr-input${problem ? ' is-invalid' : ''}`,
    'aria-invalid': problem ? true : undefined, 'aria-describedby': problem ? errId : undefined,
  } as const;
  return (
    <div className={compact ? 'expr-field compact' : 'expr-field'}>
      <label htmlFor={id} className={hideLabel || compact ? 'sr-only' : 'expr-label'}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
      {problem ? <div id={errId} className="field-error" role="alert">{problem.message}</div> : null}
    </div>
  );
}
