import Form from '@rjsf/core';
import type { FieldProps, RegistryFieldsType, RegistryWidgetsType, UiSchema, WidgetProps } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import { useMemo, type ReactNode } from 'react';
import type { JsonObject } from '../api/types';
import { CredentialWidget } from './CredentialWidget';
import { JsonField } from './JsonField';
import { normalizeSchema } from './normalize-schema';
import { TemplateWidget } from './TemplateWidget';
import { uiSchemaFor } from './ui-schema';

const validator = customizeValidator({ ajvOptionsOverrides: { strict: false, validateFormats: false } });

const widgets: RegistryWidgetsType = {
  expression: (p: WidgetProps) => <TemplateWidget {...p} mode="expression" />,
  template: (p: WidgetProps) => <TemplateWidget {...p} mode="template" />,
  templateArea: (p: WidgetProps) => <TemplateWidget {...p} mode="template" multiline />,
  credential: CredentialWidget,
};

const fields: RegistryFieldsType = { json: (p: FieldProps) => <JsonField {...p} /> };

/**
 * A form generated from a JSON Schema by react-jsonschema-form (node configs, action params,
 * credentials, workflow settings). Controlled: `value` in, every change out; no submit button
 * unless `submitLabel` is given.
 */
export function SchemaForm(props: {
  schema: unknown;
  value: JsonObject;
  onChange: (v: JsonObject) => void;
  idPrefix: string;
  submitLabel?: string;
  onSubmit?: (v: JsonObject) => void;
  /** Buttons shown beside the submit button (Cancel), in one row with it; the submit button is then the primary one. */
  secondaryActions?: ReactNode;
  disabled?: boolean;
  /** Per-property uiSchema entries that replace the derived ones (e.g. password widgets for secrets). */
  uiOverrides?: UiSchema;
}) {
  const { schema, value, onChange, idPrefix, submitLabel, onSubmit, disabled, uiOverrides, secondaryActions } = props;
  const normalized = useMemo(() => normalizeSchema(schema), [schema]);
  const uiSchema = useMemo(
    () => ({ ...uiSchemaFor(normalized), ...uiOverrides, 'ui:submitButtonOptions': { norender: !submitLabel, submitText: submitLabel ?? 'Save' } }),
    [normalized, submitLabel, uiOverrides],
  );
  return (
    <Form
      className="schema-form"
      schema={normalized}
      uiSchema={uiSchema}
      formData={value}
      validator={validator}
      widgets={widgets}
      fields={fields}
      idPrefix={idPrefix}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      disabled={disabled ?? false}
      experimental_defaultFormStateBehavior={{ emptyObjectFields: 'populateRequiredDefaults' }}
      onChange={(e) => onChange((e.formData ?? {}) as JsonObject)}
      onSubmit={(e) => onSubmit?.((e.formData ?? {}) as JsonObject)}
    >
      {secondaryActions && submitLabel ? (
        <div className="form-actions">
          {secondaryActions}
          <button type="submit" className="btn btn-primary" disabled={disabled ?? false}>{submitLabel}</button>
        </div>
      ) : undefined}
    </Form>
  );
}
