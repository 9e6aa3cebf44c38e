import { useState } from 'react';
import { errorMessage } from '../api/client';
import { users } from '../api/endpoints';
import type { Me, User } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatTime } from '../components/format';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { toast } from '../components/toast-store';
import { CreateUserForm } from '../components/users/CreateUserForm';
import { ResetPasswordCell } from '../components/users/ResetPasswordCell';
import { RoleCell } from '../components/users/RoleCell';
import { SlackIdCell } from '../components/users/SlackIdCell';

/** A session's id is its user's id; an API key's id is the key's own, so it is never one of the users. */
const isSelf = (me: Me | undefined, u: User) => me?.kind === 'session' && me.id === u.id;

/**
 * Users (admins only): who can sign in and with which role, the Slack member each acts as in ChatOps;
 * in each row change the role, reset the password, map, change or clear the Slack member id; add one, delete one.
 */
export default function Users() {
  const me = useMe();
  const admin = hasRole(me, 'admin');
  const list = useResource(() => (admin ? users.list() : Promise.resolve({ items: [] as User[] })), [admin]);
  const [deleting, setDeleting] = useState<User>();
  if (!admin) return <EmptyState title="Admins only">Users are managed by administrators.</EmptyState>;
  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title="Users" subtitle="Who signs in, with which role, and the Slack member each one is in ChatOps (Slack approvals and /itw run act as that user)." />
      <CreateUserForm onCreated={() => list.reload()} />
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <EmptyState title="No users">Add one above.</EmptyState> : null}
      {items.length > 0 ? (
        <table className="table users-table">
          <caption className="sr-only">Users</caption>
          <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Slack member id</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((u) => {
              const self = isSelf(me, u);
              return (
                <tr key={u.id}>
                  <td>{u.username}{self ? <span className="muted small"> (you)</span> : null}</td>
                  <td><RoleCell user={u} self={self} onSaved={() => list.reload()} /></td>
                  <td><SlackIdCell user={u} onSaved={() => list.reload()} /></td>
                  <td className="small">{formatTime(u.created_at)}</td>
                  <td>
                    <div className="row-actions user-actions">
                      <ResetPasswordCell user={u} self={self} />
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setDeleting(u)} aria-label={`Delete ${u.username}`}
                        disabled={self} title={self ? 'You cannot delete your own account here: another admin can.' : undefined}>Delete</button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <ConfirmDialog open={deleting !== undefined} title="Delete user" confirmLabel="Delete" onCancel={() => setDeleting(undefined)} onConfirm={() => {
        const u = deleting!;
        setDeleting(undefined);
        void users.remove(u.id).then(() => {
          toast(`User “${u.username}” deleted`, 'success');
          return list.reload();
        }, (err: unknown) => toast(errorMessage(err), 'error'));
      }}>
        Delete “{deleting?.username}”? They are signed out at once and can no longer sign in{deleting?.slack_user_id ? <>; Slack member <code>{deleting.slack_user_id}</code> no longer acts as them</> : null}.
      </ConfirmDialog>
    </div>
  );
}
