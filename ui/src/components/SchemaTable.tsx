import type { JsonObject } from '../api/types';
import { normalizeSchema } from '../forms/normalize-schema';

function typeOf(s: JsonObject): string {
  if (Array.isArray(s['enum'])) return (s['enum'] as unknown[]).map(String).join(' | ');
  if (Array.isArray(s['anyOf'])) return (s['anyOf'] as JsonObject[]).map(typeOf).join(' | ');
  if (s['type'] === 'array') return `${typeOf((s['items'] as JsonObject | undefined) ?? {})}[]`;
  return typeof s['type'] === 'string' ? s['type'] : 'any';
}

/** An object schema's properties as a table: name, type, required, default, description. */
export function SchemaTable({ schema, caption }: { schema: unknown; caption: string }) {
  const s = normalizeSchema(schema);
  const props = (s['properties'] as Record<string, JsonObject> | undefined) ?? {};
  const required = new Set((s['required'] as string[] | undefined) ?? []);
  const entries = Object.entries(props);
  if (entries.length === 0) return <p className="muted small">{caption}: none.</p>;
  return (
    <table className="table table-compact">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <td><code>{k}</code></td>
            <td className="small">{typeOf(v)}{v['default'] !== undefined ? <span className="muted"> = {JSON.stringify(v['default'])}</span> : null}</td>
            <td className="small">{required.has(k) ? 'yes' : ''}</td>
            <td className="small">{typeof v['description'] === 'string' ? v['description'] : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
