import { useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import { users } from '../../api/endpoints';
import { ROLES, type Role, type User } from '../../api/types';
import { session } from '../../auth/session';
import { ConfirmDialog } from '../ConfirmDialog';
import { toast } from '../toast-store';

/**
 * A user's role in the table, changed in place: a choice in the select saves at once (the server applies
 * it on the user's next request). Demoting oneself is asked first, since the page closes on the admin at
 * once. A refusal (409: the last admin) is shown as the server says it, and the select goes back to the
 * stored role.
 */
export function RoleCell({ user, self, onSaved }: { user: User; self: boolean; onSaved: () => Promise<void> }) {
  /** The role being saved, shown while the request runs; undefined shows the stored one. */
  const [pending, setPending] = useState<Role>();
  const [confirming, setConfirming] = useState<Role>();
  const selectId = useId();
  const who = user.username;

  const save = async (role: Role) => {
    setPending(role);
    try {
      await users.update(user.id, { role });
      toast(self ? `You are now ${role}` : `“${who}” is now ${role}`, 'success');
      // Our own session lost admin: asking the server who we are closes the admin pages; a list reload would only be refused.
      if (self) await session.check();
      else await onSaved();
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setPending(undefined);
    }
  };
  const choose = (role: Role) => {
    // Not `disabled` while saving: disabling the focused select would drop keyboard focus to the page.
    if (pending !== undefined || role === user.role) return;
    if (self && user.role === 'admin') setConfirming(role);
    else void save(role);
  };

  const confirmSelfDemotion = () => {
    const role = confirming!;
    setConfirming(undefined);
    void save(role);
  };

  return (
    <>
      <label className="sr-only" htmlFor={selectId}>Role of {who}</label>
      <select id={selectId} className="form-control role-select" value={pending ?? user.role} aria-busy={pending !== undefined}
        onChange={(e) => choose(e.target.value as Role)}>
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
      {self ? (
        <ConfirmDialog open={confirming !== undefined} title="Change your own role" confirmLabel={`Make me ${confirming ?? ''}`}
          onCancel={() => setConfirming(undefined)} onConfirm={confirmSelfDemotion}>
          You will lose admin rights at once: you become {confirming}, this page and the API keys page close to you, and only another admin can make you admin again.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
