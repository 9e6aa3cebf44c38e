import { useId, useState } from 'react';
import type { Credential, CredentialTypeInfo, JsonObject } from '../api/types';
import { SchemaForm } from '../forms/SchemaForm';

/** The secret fields of a credential type. */
export function secretFields(t: CredentialTypeInfo | undefined): readonly string[] {
  return t?.secret_fields ?? [];
}

/**
 * Creates a credential, or updates one: secrets are write-only, so an update starts with them empty
 * and only the fields typed in are sent (the others keep their stored values).
 */
export function CredentialForm({ types, existing, initial, onSubmit, onCancel }: {
  types: readonly CredentialTypeInfo[]; existing?: Credential;
  /** A new credential's name and type filled in (a template's setup names the credential its steps need). */
  initial?: { readonly name: string; readonly type?: string | undefined };
  onSubmit: (body: { name: string; type: string; data: JsonObject; allowed_hosts: string[] }) => void; onCancel: () => void;
}) {
  const [type, setType] = useState(existing?.type ?? (types.some((t) => t.type === initial?.type) ? initial?.type : undefined) ?? types[0]?.type ?? '');
  const [name, setName] = useState(existing?.name ?? initial?.name ?? '');
  const [data, setData] = useState<JsonObject>(existing ? { ...existing.fields } : {});
  const [hosts, setHosts] = useState((existing?.allowed_hosts ?? []).join(', '));
  const ids = { name: useId(), type: useId(), hosts: useId() };
  const info = types.find((t) => t.type === type);
  const secrets = new Set(secretFields(info));
  // Secrets are never shown back; on update nothing in them is required (left empty = unchanged).
  const base = (info?.schema ?? { type: 'object', properties: {} });
  const schema = existing ? { ...base, required: [] } : base;
  const props = (base['properties'] as Record<string, JsonObject> | undefined) ?? {};
  const uiPatch = Object.fromEntries(Object.keys(props).filter((k) => secrets.has(k)).map((k) => [k, { 'ui:widget': 'password' }]));
  return (
    <div className="credential-form">
      <label htmlFor={ids.name} className="expr-label">Name</label>
      <input id={ids.name} className="form-control" value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={ids.type} className="expr-label">Type</label>
      <select id={ids.type} className="form-control" value={type} disabled={!!existing} onChange={(e) => { setType(e.target.value); setData({}); }}>
        {types.map((t) => <option key={t.type} value={t.type}>{t.label}</option>)}
      </select>
      <label htmlFor={ids.hosts} className="expr-label">Allowed hosts</label>
      <input id={ids.hosts} className="form-control" value={hosts} onChange={(e) => setHosts(e.target.value)} placeholder={existing?.effective_allowed_hosts?.join(', ') || 'api.example.com, *.corp.example:8443'} />
      <p className="muted small">The only hosts this secret is ever sent to (comma-separated; required for HTTP credentials, others default to their service&apos;s host).</p>
      {existing && secrets.size > 0 ? <p className="muted small">Secret fields ({[...secrets].join(', ')}) are not shown; type a value only to replace it.</p> : null}
      <SchemaForm
        key={type}
        idPrefix="credential"
        schema={schema}
        uiOverrides={uiPatch}
        value={data}
        onChange={setData}
        submitLabel={existing ? 'Save changes' : 'Create credential'}
        secondaryActions={<button type="button" className="btn" onClick={onCancel}>Cancel</button>}
        onSubmit={(v) => {
          const clean = Object.fromEntries(Object.entries(v).filter(([k, x]) => x !== undefined && x !== '' && !(existing && !secrets.has(k) && existing.fields[k] === x)));
          onSubmit({ name: name.trim(), type, data: clean, allowed_hosts: hosts.split(',').map((h) => h.trim()).filter(Boolean) });
        }}
      />
    </div>
  );
}
