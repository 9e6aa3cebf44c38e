import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { users } from '../../api/endpoints';
import { ROLES, type Role, type User } from '../../api/types';
import { toast } from '../toast-store';
import { HINTS, PASSWORD_MIN, SLACK_ID_PATTERN, SLACK_ID_TITLE, USERNAME_MAX, USERNAME_PATTERN, USERNAME_TITLE } from './rules';

const EMPTY = { username: '', password: '', role: 'viewer' as Role, slack: '' };

/**
 * Adds a user who signs in with a password. Starts at the least role (viewer): an admin raises it on
 * purpose. A refusal (name or Slack id taken, a rule broken) keeps what was typed, to fix it.
 */
export function CreateUserForm({ onCreated }: { onCreated: (u: User) => Promise<void> }) {
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const ids = { username: useId(), password: useId(), role: useId(), slack: useId() };
  const hint = (k: keyof typeof ids) => `${ids[k]}-hint`;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const slack = form.slack.trim();
      const created = await users.create({ username: form.username.trim(), password: form.password, role: form.role, ...(slack ? { slack_user_id: slack } : {}) });
      setForm(EMPTY);
      toast(`User “${created.username}” created`, 'success');
      await onCreated(created);
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form user-form card" onSubmit={(e) => void submit(e)} aria-label="Add user">
      <div className="field">
        <label htmlFor={ids.username}>Username</label>
        <input id={ids.username} className="form-control" value={form.username} onChange={set('username')} required maxLength={USERNAME_MAX}
          pattern={USERNAME_PATTERN} title={USERNAME_TITLE} autoComplete="off" aria-describedby={hint('username')} placeholder="e.g. alice" />
        <span id={hint('username')} className="field-hint">{HINTS.username}</span>
      </div>
      <div className="field">
        <label htmlFor={ids.password}>Password</label>
        <input id={ids.password} className="form-control" type="password" value={form.password} onChange={set('password')} required minLength={PASSWORD_MIN}
          autoComplete="new-password" aria-describedby={hint('password')} />
        <span id={hint('password')} className="field-hint">{HINTS.password}</span>
      </div>
      <div className="field">
        <label htmlFor={ids.role}>Role</label>
        <select id={ids.role} className="form-control" value={form.role} onChange={set('role')} aria-describedby={hint('role')}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <span id={hint('role')} className="field-hint">viewer &lt; operator &lt; editor &lt; admin</span>
      </div>
      <div className="field">
        <label htmlFor={ids.slack}>Slack member id</label>
        <input id={ids.slack} className="form-control mono" value={form.slack} onChange={set('slack')} pattern={SLACK_ID_PATTERN} title={SLACK_ID_TITLE}
          autoComplete="off" spellCheck={false} aria-describedby={hint('slack')} placeholder="U024BE7LH" />
        <span id={hint('slack')} className="field-hint">{HINTS.slack}</span>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>Create user</button>
    </form>
  );
}
