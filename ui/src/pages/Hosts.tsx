import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage } from '../api/client';
import { credentials, hosts } from '../api/endpoints';
import type { Host } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { allTags, filterHosts, targetsFor, toggleTag } from '../components/host-filter';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { toast } from '../components/toast-store';

/**
 * The host inventory fleet steps run on: filter by tags (the selection is the `targets` a step
 * needs), search by name or address; operators add and remove hosts. Import and export as YAML go
 * through the API (`/automation/hosts/import`, `/automation/hosts/export`).
 */
export default function Hosts() {
  const me = useMe();
  const operator = hasRole(me, 'operator');
  const list = useResource(() => hosts.list(), []);
  const [params, setParams] = useSearchParams();
  const selected = params.getAll('tag');
  const q = params.get('q') ?? '';
  const [removing, setRemoving] = useState<Host>();
  const items = list.data?.items ?? [];
  const shown = filterHosts(items, selected, q);
  const ids = { q: useId() };
  const setTags = (tags: readonly string[]) => {
    const next = new URLSearchParams(params);
    next.delete('tag');
    for (const t of tags) next.append('tag', t);
    setParams(next, { replace: true });
  };
  const setQuery = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('q', value);
    else next.delete('q');
    setParams(next, { replace: true });
  };
  return (
    <div className="page">
      <PageHeader
        title="Hosts"
        subtitle="Where fleet steps run: execute_command, run_script, restart_service and backup_database with targets: {tags, names}"
        actions={<a className="btn" href="/automation/hosts/export" download="hosts.yaml">Export YAML</a>}
      />
      {operator ? <AddHost onAdded={() => void list.reload()} /> : null}
      <div className="filters" role="search">
        <label htmlFor={ids.q} className="sr-only">Search hosts</label>
        <input id={ids.q} type="search" className="form-control" placeholder="Search by name or address" defaultValue={q} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {allTags(items).length > 0 ? (
        <div className="chips" role="group" aria-label="Filter by tag">
          {allTags(items).map((t) => (
            <button key={t} type="button" className={selected.includes(t) ? 'chip active' : 'chip'} aria-pressed={selected.includes(t)} onClick={() => setTags(toggleTag(selected, t))}>{t}</button>
          ))}
        </div>
      ) : null}
      {selected.length > 0 ? <p className="muted small">A step with <code>{targetsFor(selected)}</code> runs on these {shown.length} host(s).</p> : null}
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <EmptyState title="No hosts yet">{operator ? 'Add one above, or import a host document through the API.' : 'An operator adds them.'}</EmptyState> : null}
      {items.length > 0 && shown.length === 0 ? <EmptyState title="No host matches these filters">Clear the search or pick other tags.</EmptyState> : null}
      {shown.length > 0 ? (
        <table className="table">
          <caption className="sr-only">Hosts</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Address</th><th scope="col">Tags</th><th scope="col">SSH credential</th><th scope="col">Attributes</th>{operator ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
          <tbody>
            {shown.map((h) => (
              <tr key={h.id}>
                <td className="mono">{h.name}</td>
                <td className="mono">{h.address}{h.port !== 22 ? `:${h.port}` : ''}</td>
                <td>{h.tags.map((t) => <button key={t} type="button" className="tag tag-button" onClick={() => setTags(toggleTag(selected, t))} aria-label={`Filter by tag ${t}`}>{t}</button>)}</td>
                <td>{h.ssh_credential_id}</td>
                <td className="small">{Object.entries(h.attributes).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                {operator ? <td><button type="button" className="btn btn-small btn-danger" onClick={() => setRemoving(h)} aria-label={`Remove ${h.name}`}>Remove</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ConfirmDialog open={removing !== undefined} title="Remove host" confirmLabel="Remove" onCancel={() => setRemoving(undefined)} onConfirm={() => {
        const h = removing!;
        setRemoving(undefined);
        void hosts.remove(h.id).then(() => list.reload(), (err: unknown) => toast(errorMessage(err), 'error'));
      }}>
        Remove “{removing?.name}” from the inventory? Fleet steps naming it fail from then on.
      </ConfirmDialog>
    </div>
  );
}

/** Operators add a host: name, address, port, tags and one of the ssh_key credentials. */
function AddHost({ onAdded }: { onAdded: () => void }) {
  const keys = useResource(() => credentials.list(), []);
  const sshKeys = (keys.data?.items ?? []).filter((c) => c.type === 'ssh_key');
  const [form, setForm] = useState({ name: '', address: '', port: '22', tags: '', credential: '' });
  const ids = { name: useId(), address: useId(), port: useId(), tags: useId(), credential: useId() };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await hosts.create({
        name: form.name.trim(), address: form.address.trim(), port: Number(form.port) || 22,
        tags: form.tags.split(/[\s,]+/).filter(Boolean), ssh_credential_id: form.credential || (sshKeys[0]?.name ?? ''),
      });
      setForm({ ...form, name: '', address: '' });
      onAdded();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  return (
    <form className="inline-form card" onSubmit={(e) => void submit(e)} aria-label="Add host">
      <label htmlFor={ids.name}>Name</label>
      <input id={ids.name} className="form-control" value={form.name} onChange={set('name')} required placeholder="web-1" />
      <label htmlFor={ids.address}>Address</label>
      <input id={ids.address} className="form-control" value={form.address} onChange={set('address')} required placeholder="10.0.0.11" />
      <label htmlFor={ids.port}>Port</label>
      <input id={ids.port} className="form-control narrow" type="number" min={1} max={65535} value={form.port} onChange={set('port')} />
      <label htmlFor={ids.tags}>Tags</label>
      <input id={ids.tags} className="form-control" value={form.tags} onChange={set('tags')} placeholder="web, prod" />
      <label htmlFor={ids.credential}>SSH credential</label>
      <select id={ids.credential} className="form-control" value={form.credential} onChange={set('credential')} required={sshKeys.length === 0}>
        {sshKeys.length === 0 ? <option value="">No ssh_key credential yet</option> : null}
        {sshKeys.map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
      </select>
      <button type="submit" className="btn btn-primary" disabled={sshKeys.length === 0}>Add host</button>
    </form>
  );
}
