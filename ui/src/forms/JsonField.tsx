import type { FieldProps } from '@rjsf/utils';
import { useState } from 'react';

/** Any JSON value (schemas without a type, such as an HTTP body): edited as JSON text, kept as a string if it is not JSON. */
export function JsonField(props: FieldProps) {
  const { onChange, name, fieldPathId, schema } = props;
  const formData: unknown = props.formData;
  const id = fieldPathId.$id;
  const [text, setText] = useState(() => (formData === undefined ? '' : typeof formData === 'string' ? formData : JSON.stringify(formData, null, 2)));
  const [bad, setBad] = useState(false);
  const change = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      setBad(false);
      return onChange(undefined, fieldPathId.path);
    }
    try {
      onChange(JSON.parse(t) as unknown, fieldPathId.path);
      setBad(false);
    } catch {
      // Not JSON: kept as text (templates like "{{ $input }}" are strings too).
      onChange(t, fieldPathId.path);
      setBad(!t.includes('{{'));
    }
  };
  return (
    <div className="form-group field field-json">
      <label htmlFor={id} className="control-label">{schema.title ?? name}</label>
      {typeof schema.description === 'string' ? <p className="field-description">{schema.description}</p> : null}
      <textarea id={id} className="form-control mono" rows={4} value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {bad ? <div className="field-hint">Not JSON: sent as text.</div> : null}
    </div>
  );
}
