import { useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { users } from '../../api/endpoints';
import type { User } from '../../api/types';
import { session } from '../../auth/session';
import { toast } from '../toast-store';
import { HINTS, PASSWORD_MIN } from './rules';
import { useFocusAfterRender } from './use-focus-after-render';

/**
 * "Reset password" in a user's row: a small form for the new password, which the server stores and
 * with which it ends every session of the user. The typed password lives only in this form's state and
 * is dropped when the form closes (saved or cancelled); nothing shows it back.
 */
export function ResetPasswordCell({ user, self }: { user: User; self: boolean }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const ids = { input: useId(), hint: useId() };
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const focusNext = useFocusAfterRender();

  const who = user.username;
  const show = (next: boolean) => {
    setPassword('');
    focusNext(next ? input : button);
    setOpen(next);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await users.update(user.id, { password });
      toast(self ? 'Your password was changed and you were signed out everywhere: sign in with the new one'
        : `Password of “${who}” changed: they were signed out everywhere`, 'success');
      show(false);
      // Our own session was among those ended: asking who we are now takes us to the login page.
      if (self) await session.check();
    } catch (err) {
      // Kept, to fix what the server refused.
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return <button ref={button} type="button" className="btn btn-small" onClick={() => show(true)} aria-label={`Reset password of ${who}`}>Reset password</button>;
  }
  return (
    <form className="reset-password-form" onSubmit={(e) => void submit(e)} aria-label={`Password reset for ${who}`}>
      <div className="row-actions">
        <label className="sr-only" htmlFor={ids.input}>New password for {who}</label>
        <input id={ids.input} ref={input} className="form-control password-input" type="password" value={password} onChange={(e) => setPassword(e.target.value)}
          required minLength={PASSWORD_MIN} maxLength={1000} autoComplete="new-password" aria-describedby={ids.hint} placeholder="New password"
          onKeyDown={(e) => { if (e.key === 'Escape') show(false); }} />
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>Save</button>
        <button type="button" className="btn btn-small" onClick={() => show(false)}>Cancel</button>
      </div>
      <div id={ids.hint} className="field-hint">{HINTS.password} {self ? 'You are signed out here too.' : 'They are signed out everywhere.'}</div>
    </form>
  );
}
