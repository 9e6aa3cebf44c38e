import { useState } from 'react';
import type { JsonObject, Variable } from '../../api/types';
import { SchemaForm } from '../../forms/SchemaForm';
import { Modal } from '../Modal';

export interface WorkflowMeta {
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly settings: JsonObject;
  readonly variables: readonly Variable[];
}

const SCHEMA = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', title: 'Name', minLength: 1, maxLength: 200 },
    description: { type: 'string', title: 'Description' },
    category: { type: 'string', title: 'Category' },
    tags: { type: 'array', title: 'Tags', items: { type: 'string', title: 'Tag' } },
    settings: {
      type: 'object', title: 'Execution settings',
      properties: {
        timeout_seconds: { type: 'number', minimum: 0, title: 'Whole-execution timeout (seconds, 0 = none)' },
        max_retries: { type: 'integer', minimum: 0, maximum: 100, title: 'Retries for nodes without their own policy' },
        retry_on_failure: { type: 'boolean', title: 'Retry failed nodes' },
        max_concurrent_executions: { type: 'integer', minimum: 0, title: 'Max concurrent executions (0 = unlimited)' },
        error_strategy: { type: 'string', enum: ['stop', 'continue'], title: 'On an uncaught failure' },
      },
    },
    variables: {
      type: 'array', title: 'Variables ($vars)',
      items: {
        type: 'object', required: ['name', 'type'],
        properties: {
          name: { type: 'string', title: 'Name', minLength: 1 },
          type: { type: 'string', title: 'Type', enum: ['string', 'number', 'boolean', 'object', 'array'], default: 'string' },
          default: { title: 'Default' },
          description: { type: 'string', title: 'Description' },
          required: { type: 'boolean', title: 'Required' },
          secret: { type: 'boolean', title: 'Secret (redacted in executions)' },
        },
      },
    },
  },
};

/** Name, description, category, tags, execution settings and declared variables, as one generated form. */
export function WorkflowSettings({ open, meta, onClose, onApply }: { open: boolean; meta: WorkflowMeta; onClose: () => void; onApply: (m: WorkflowMeta) => void }) {
  const [value, setValue] = useState<JsonObject>(() => ({ ...meta }));
  return (
    <Modal title="Workflow settings" open={open} onClose={onClose} wide>
      <SchemaForm
        idPrefix="wfsettings"
        schema={SCHEMA}
        value={value}
        onChange={setValue}
        submitLabel="Apply"
        onSubmit={(v) => {
          const text = (x: unknown, fallback: string) => (typeof x === 'string' ? x : fallback);
          onApply({
            name: text(v['name'], meta.name), description: text(v['description'], ''), category: text(v['category'], ''),
            tags: ((v['tags'] as string[] | undefined) ?? []).filter(Boolean), settings: (v['settings'] as JsonObject | undefined) ?? {},
            variables: (v['variables'] as Variable[] | undefined) ?? [],
          });
          onClose();
        }}
      />
    </Modal>
  );
}
