import { useState } from 'react';
import { Link } from 'react-router';
import { incidents } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { EmptyState } from '../components/EmptyState';
import { incidentEmptyState } from '../components/incident-empty';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatTime } from '../components/format';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';

const FILTERS = [
  { label: 'Open', status: ['triggered', 'acknowledged'] },
  { label: 'Triggered', status: ['triggered'] },
  { label: 'Acknowledged', status: ['acknowledged'] },
  { label: 'Resolved', status: ['resolved'] },
  { label: 'All', status: [] },
] as const;

export default function IncidentList() {
  const [filter, setFilter] = useState(0);
  const list = useResource(() => incidents.list(FILTERS[filter]!.status), [filter]);
  const open = useResource(() => incidents.list(FILTERS[0].status), [filter]);
  const items = list.data?.items ?? [];
  const empty = incidentEmptyState(FILTERS[filter]!.label, open.data?.items.length);
  return (
    <div className="page">
      <PageHeader title="Incidents" subtitle="Opened by alerts and workflows; acknowledge to stop escalation." />
      <div className="chips" role="group" aria-label="Filter by status">
        {FILTERS.map((f, i) => <button type="button" key={f.label} className={filter === i ? 'chip active' : 'chip'} aria-pressed={filter === i} onClick={() => setFilter(i)}>{f.label}</button>)}
      </div>
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 && open.data ? <EmptyState title={empty.title}>{empty.body}</EmptyState> : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="sr-only">Incidents</caption>
          <thead><tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Service</th><th scope="col">Assignee</th><th scope="col">Opened</th></tr></thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td><Link to={`/incidents/${i.id}`} className="strong-link">{i.key}</Link> {i.title}</td>
                <td><span className={`badge sev-${i.severity}`}>{i.severity}</span></td>
                <td><StatusBadge status={i.status} /></td>
                <td>{i.service ?? <span className="muted">—</span>}</td>
                <td>{i.assignee ?? <span className="muted">—</span>}</td>
                <td className="small">{formatTime(i.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
