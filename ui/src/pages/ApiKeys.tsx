import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../api/client';
import { apiKeys } from '../api/endpoints';
import { ROLES, type ApiKey, type Role } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatTime } from '../components/format';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { toast } from '../components/toast-store';

/** API keys (admins only): create one (its secret is shown once), see when each was used, revoke. */
export default function ApiKeys() {
  const me = useMe();
  const admin = hasRole(me, 'admin');
  const list = useResource(() => (admin ? apiKeys.list() : Promise.resolve({ items: [] as ApiKey[] })), [admin]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [created, setCreated] = useState<ApiKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const ids = { name: useId(), role: useId() };
  if (!admin) return <EmptyState title="Admins only">API keys are managed by administrators.</EmptyState>;
  const create = async (e: FormEvent) => {
    e.preventDefault();
    try {
      setCreated(await apiKeys.create(name.trim(), role));
      setName('');
      await list.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title="API keys" subtitle="For scripts and other systems: send as Authorization: Bearer itw_…" />
      <form className="inline-form card" onSubmit={(e) => void create(e)}>
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} className="form-control" value={name} onChange={(e) => setName(e.target.value)} required placeholder="e.g. ci-deploys" />
        <label htmlFor={ids.role}>Role</label>
        <select id={ids.role} className="form-control" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <button type="submit" className="btn btn-primary">Create key</button>
      </form>
      {created?.key ? (
        <div className="banner banner-success" role="status">
          <p><strong>Copy the key for “{created.name}” now: it is not shown again.</strong></p>
          <code className="secret-once">{created.key}</code>
          <button type="button" className="btn btn-small" onClick={() => setCreated(undefined)}>Done</button>
        </div>
      ) : null}
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <EmptyState title="No API keys">Create one above.</EmptyState> : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="sr-only">API keys</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((k) => (
              <tr key={k.id}>
                <td>{k.name}{k.created_by ? <div className="muted small">by {k.created_by}</div> : null}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.role}</td>
                <td className="small">{formatTime(k.created_at)}</td>
                <td className="small">{formatTime(k.last_used_at)}</td>
                <td><StatusBadge status={k.revoked_at ? 'revoked' : 'active'} /></td>
                <td>{k.revoked_at ? null : <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ConfirmDialog open={revoking !== undefined} title="Revoke API key" confirmLabel="Revoke" onCancel={() => setRevoking(undefined)} onConfirm={() => {
        const k = revoking!;
        setRevoking(undefined);
        void apiKeys.revoke(k.id).then(() => list.reload(), (err: unknown) => toast(errorMessage(err), 'error'));
      }}>
        Revoke “{revoking?.name}”? Anything using it stops working at once.
      </ConfirmDialog>
    </div>
  );
}
