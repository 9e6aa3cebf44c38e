import type { WidgetProps } from '@rjsf/utils';
import { ExpressionInput } from '../components/builder/ExpressionInput';

/** rjsf widget over ExpressionInput: raw JSONata or `{{ }}` template text, with the parse error as you type. */
export function TemplateWidget(props: WidgetProps & { mode: 'expression' | 'template'; multiline?: boolean }) {
  const { id, onChange, label, mode, multiline, placeholder, required } = props;
  const value: unknown = props.value;
  return (
    <ExpressionInput
      id={id}
      label={`${label}${required ? ' (required)' : ''}`}
      hideLabel
      value={typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''}
      onChange={(v) => onChange(v === '' ? undefined : v)}
      mode={mode}
      multiline={multiline ?? mode === 'expression'}
      {...(placeholder ? { placeholder } : {})}
      allowEmpty={!required}
    />
  );
}
