import { useState } from 'react';
import { errorMessage } from '../api/client';
import { credentials } from '../api/endpoints';
import type { Credential } from '../api/types';
import { useResource } from '../api/use-resource';
import { loadCredentials } from '../forms/credentials-cache';
import { ConfirmDialog } from './ConfirmDialog';
import { CredentialForm } from './CredentialForm';
import { EmptyState } from './EmptyState';
import { ErrorBanner } from './ErrorBanner';
import { formatTime } from './format';
import { Loading } from './Loading';
import { Modal } from './Modal';
import { toast } from './toast-store';

/** Stored credentials: create, update, delete. Secrets are write-only: the list shows which are set, never their values. */
export function CredentialsManager({ editable }: { editable: boolean }) {
  const data = useResource(() => Promise.all([credentials.list(), credentials.types()]), []);
  const [editing, setEditing] = useState<Credential | 'new'>();
  const [deleting, setDeleting] = useState<Credential>();
  const run = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
      toast(what, 'success');
      setEditing(undefined);
      void loadCredentials(true);
      await data.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  if (data.error) return <ErrorBanner error={data.error} onRetry={() => void data.reload()} />;
  if (!data.data) return <Loading />;
  const [list, types] = data.data;
  return (
    <section aria-label="Credentials">
      <div className="section-head">
        <p className="muted">Encrypted at rest; nodes reference them by id. Secret values are never shown again.</p>
        {editable ? <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={types.items.length === 0}>New credential</button> : null}
      </div>
      {list.items.length === 0 ? <EmptyState title="No credentials yet">Create one to let actions reach Slack, SMTP, databases and other systems.</EmptyState> : (
        <table className="table">
          <caption className="sr-only">Credentials</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Fields</th><th scope="col">Secrets</th><th scope="col">Updated</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.items.map((c) => (
              <tr key={c.id}>
                <td><strong>{c.name}</strong><div className="muted small mono">{c.id}</div></td>
                <td>{types.items.find((t) => t.type === c.type)?.label ?? c.type}</td>
                <td className="small">{Object.entries(c.fields).map(([k, v]) => <div key={k}><code>{k}</code>: {v}</div>)}</td>
                <td className="small">{c.secret_fields_set.length ? c.secret_fields_set.map((s) => <div key={s}><code>{s}</code>: ••••• (set)</div>) : <span className="muted">none</span>}</td>
                <td className="small">{formatTime(c.updated_at)}</td>
                <td className="row-actions">
                  {editable ? (
                    <>
                      <button type="button" className="btn btn-small" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>Edit</button>
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setDeleting(c)} aria-label={`Delete ${c.name}`}>Delete</button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Modal title={editing === 'new' ? 'New credential' : `Edit ${editing?.name ?? ''}`} open={editing !== undefined} onClose={() => setEditing(undefined)} wide>
        {editing ? (
          <CredentialForm
            types={types.items}
            {...(editing !== 'new' ? { existing: editing } : {})}
            onCancel={() => setEditing(undefined)}
            onSubmit={(body) => void (editing === 'new'
              ? run(`Credential ${body.name} created`, () => credentials.create(body))
              : run(`Credential ${body.name} updated`, () => credentials.update(editing.id, { name: body.name, data: body.data, allowed_hosts: body.allowed_hosts })))}
          />
        ) : null}
      </Modal>
      <ConfirmDialog open={deleting !== undefined} title="Delete credential" confirmLabel="Delete" onCancel={() => setDeleting(undefined)} onConfirm={() => {
        const c = deleting!;
        setDeleting(undefined);
        void run(`Credential ${c.name} deleted`, () => credentials.remove(c.id));
      }}>
        Delete “{deleting?.name}”? Nodes that use it will fail until they get another.
      </ConfirmDialog>
    </section>
  );
}
