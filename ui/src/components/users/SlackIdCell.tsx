import { useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { users } from '../../api/endpoints';
import type { User } from '../../api/types';
import { toast } from '../toast-store';
import { SLACK_ID_PATTERN, SLACK_ID_TITLE } from './rules';
import { useFocusAfterRender } from './use-focus-after-render';

/**
 * A user's Slack member id in the table, edited in place: Slack approvals and `/itw run` act as the
 * user this maps to (docs/CHATOPS.md), so the admin sees it, maps it, or clears it right in the row.
 * Saving an empty field unmaps, as Clear does.
 */
export function SlackIdCell({ user, onSaved }: { user: User; onSaved: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  // The field when it opens, Edit once the field or Clear is gone: focus is not lost to the page.
  const focusNext = useFocusAfterRender();

  const who = user.username;
  const startEditing = () => {
    setValue(user.slack_user_id ?? '');
    focusNext(input);
    setEditing(true);
  };
  const stopEditing = () => {
    focusNext(editButton);
    setEditing(false);
  };
  const save = async (slackUserId: string | null) => {
    setBusy(true);
    try {
      await users.setSlackUserId(user.id, slackUserId);
      focusNext(editButton);
      toast(slackUserId ? `“${who}” is now Slack member ${slackUserId}` : `“${who}” is no longer mapped to a Slack member`, 'success');
      await onSaved();
      setEditing(false);
    } catch (err) {
      toast(errorMessage(err), 'error');
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(value.trim() || null);
  };

  if (editing) {
    return (
      <form className="row-actions" onSubmit={submit} aria-label={`Slack member id of ${who}`}>
        <label className="sr-only" htmlFor={inputId}>Slack member id for {who}</label>
        <input id={inputId} ref={input} className="form-control mono slack-id-input" value={value} onChange={(e) => setValue(e.target.value)}
          pattern={SLACK_ID_PATTERN} title={SLACK_ID_TITLE} placeholder="U024BE7LH" autoComplete="off" spellCheck={false}
          onKeyDown={(e) => { if (e.key === 'Escape') stopEditing(); }} />
        <button type="submit" className="btn btn-small btn-primary" disabled={busy}>Save</button>
        <button type="button" className="btn btn-small" onClick={stopEditing}>Cancel</button>
      </form>
    );
  }
  const verb = user.slack_user_id ? 'Edit' : 'Map';
  return (
    <div className="row-actions">
      {user.slack_user_id ? <code>{user.slack_user_id}</code> : <span className="muted">not mapped</span>}
      <button ref={editButton} type="button" className="btn btn-small" onClick={startEditing} aria-label={`${verb} Slack member id of ${who}`}>{verb}</button>
      {user.slack_user_id ? (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => void save(null)} aria-label={`Clear Slack member id of ${who}`}>Clear</button>
      ) : null}
    </div>
  );
}
