import { Type } from '@sinclair/typebox';
import { ACTION_CATEGORIES } from '../../actions/define-action.js';
import { TRIGGER_TYPES } from '../../nodes/trigger.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['utility'];

const NodeTypeSchema = Type.Object(
  {
    type: Type.String(), label: Type.String(), description: Type.String(), config_schema: Type.Unknown({ description: 'JSON Schema of the node config' }),
    handles: Type.Array(Type.String()), default_handle: Type.Union([Type.String(), Type.Null()]), available: Type.Boolean(),
  },
  { additionalProperties: true },
);

function label(id: string): string {
  return id.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

export function utilityRoutes(f: Api, deps: ApiDeps): void {
  const { app } = deps;

  f.get('/automation/node-types', {
    schema: { tags, summary: 'Node types with their config JSON Schema and output handles', response: { 200: Type.Object({ items: Type.Array(NodeTypeSchema) }) } },
    config: { minRole: 'viewer' },
  }, () =>
    Promise.resolve({
      items: [...app.catalog.nodeTypes.values()].map((s) => ({
        type: s.type, label: s.label, description: s.description, config_schema: JSON.parse(JSON.stringify(s.configSchema)) as unknown,
        handles: [...s.handles], default_handle: s.defaultHandle ?? null, available: s.available,
      })),
    }));

  f.get('/automation/trigger-types', {
    schema: { tags, summary: 'Trigger types', response: { 200: Type.Object({ items: Type.Array(Type.Object({ type: Type.String(), label: Type.String() })) }) } },
    config: { minRole: 'viewer' },
  }, () => Promise.resolve({ items: TRIGGER_TYPES.map((t) => ({ type: t, label: label(t) })) }));

  f.get('/automation/action-types', {
    schema: {
      tags, summary: 'Action categories with the ids of their actions',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ type: Type.String(), label: Type.String(), actions: Type.Array(Type.String()) })) }) },
    },
    config: { minRole: 'viewer' },
  }, () => {
    const all = [...app.actions.values()];
    return Promise.resolve({
      items: ACTION_CATEGORIES.map((c) => ({ type: c, label: label(c), actions: all.filter((a) => a.category === c).map((a) => a.id).sort() })),
    });
  });
}
