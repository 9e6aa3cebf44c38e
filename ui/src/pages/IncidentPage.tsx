import { useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../api/client';
import { incidents, users } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatTime } from '../components/format';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { toast } from '../components/toast-store';

function describe(data: Record<string, unknown> | null): string {
  if (!data) return '';
  return Object.entries(data).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

/** One incident: what, how bad, who has it, its timeline, and acknowledge / resolve / note. */
export default function IncidentPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const inc = useResource(() => incidents.get(id), [id]);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const noteId = useId();
  const assignId = useId();
  const people = useResource(() => (hasRole(me, 'admin') ? users.list().then((r) => r.items.map((u) => u.username)) : Promise.resolve([] as string[])), [me?.role]);
  const act = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
      toast(what, 'success');
      await inc.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  if (inc.error) return <ErrorBanner error={inc.error} onRetry={() => void inc.reload()} />;
  if (!inc.data) return <Loading />;
  const i = inc.data;
  const operator = hasRole(me, 'operator');
  return (
    <div className="page">
      <p><Link to="/incidents">← Incidents</Link></p>
      <div className="page-header">
        <div>
          <h1>{i.key}: {i.title}</h1>
          <p className="muted"><span className={`badge sev-${i.severity}`}>{i.severity}</span> <StatusBadge status={i.status} /> {i.service ? `· ${i.service}` : ''} {i.assignee ? `· assigned to ${i.assignee}` : ''}</p>
        </div>
        {operator ? (
          <div className="row-actions">
            {i.status === 'triggered' ? <button type="button" className="btn btn-primary" onClick={() => void act('Acknowledged', () => incidents.acknowledge(i.id))}>Acknowledge</button> : null}
            {i.status !== 'resolved' ? <button type="button" className="btn" onClick={() => void act('Escalated: the next level is paged', () => incidents.escalate(i.id))}>Escalate</button> : null}
            {i.status !== 'resolved' ? <button type="button" className="btn" onClick={() => void act('Resolved', () => incidents.resolve(i.id))}>Resolve</button> : null}
          </div>
        ) : null}
      </div>
      {operator && i.status !== 'resolved' ? (
        <form className="assign-form" onSubmit={(e) => {
          e.preventDefault();
          const who = assignee.trim();
          if (who) void act(`Assigned to ${who}`, () => incidents.assign(i.id, who)).then(() => setAssignee(''));
        }}>
          <label htmlFor={assignId} className="expr-label">Assign to</label>
          <input id={assignId} className="form-control narrow" list={`${assignId}-people`} value={assignee} placeholder={i.assignee ?? 'username'} onChange={(e) => setAssignee(e.target.value)} />
          <datalist id={`${assignId}-people`}>{(people.data ?? []).map((u) => <option key={u} value={u} />)}</datalist>
          <button type="submit" className="btn btn-small">Assign</button>
          {me ? <button type="button" className="btn btn-small" onClick={() => void act(`Assigned to ${me.name}`, () => incidents.assign(i.id, me.name))}>Assign to me</button> : null}
        </form>
      ) : null}
      {i.description ? <p>{i.description}</p> : null}
      <dl className="kv kv-inline">
        <dt>Opened</dt><dd>{formatTime(i.created_at)}</dd>
        <dt>Acknowledged</dt><dd>{formatTime(i.acknowledged_at)}</dd>
        <dt>Resolved</dt><dd>{formatTime(i.resolved_at)}</dd>
      </dl>
      <section className="card" aria-label="Timeline">
        <h2>Timeline</h2>
        {(i.timeline ?? []).length === 0 ? <p className="muted small">Nothing recorded yet.</p> : (
          <ol className="timeline">
            {(i.timeline ?? []).map((e) => (
              <li key={e.id}>
                <span className="timeline-time">{formatTime(e.at)}</span>
                <strong>{e.kind.replace(/_/g, ' ')}</strong>{e.actor ? <span className="muted"> by {e.actor}</span> : null}
                {e.data ? <div className="small muted">{describe(e.data)}</div> : null}
              </li>
            ))}
          </ol>
        )}
        {operator ? (
          <form className="note-form" onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) void act('Note added', () => incidents.note(i.id, note.trim())).then(() => setNote(''));
          }}>
            <label htmlFor={noteId} className="expr-label">Add a note</label>
            <input id={noteId} className="form-control" value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="btn btn-small">Add note</button>
          </form>
        ) : null}
      </section>
      {(i.alerts ?? []).length > 0 ? (
        <section className="card" aria-label="Alerts">
          <h2>Alerts</h2>
          <ul className="plain-list">
            {(i.alerts ?? []).map((a) => <li key={a.id}><StatusBadge status={a.status} /> {a.summary} <span className="muted small">({a.source}, ×{a.count})</span></li>)}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
