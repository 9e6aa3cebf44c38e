import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { executions, workflows } from '../api/endpoints';
import { followAll } from '../api/sse';
import { EXECUTION_STATUSES, type Execution, type ExecutionSummary } from '../api/types';
import { useResource } from '../api/use-resource';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { ErrorText } from '../components/ErrorText';
import { formatDuration, formatMode, formatTime, shortId } from '../components/format';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';

const PAGE = 50;

/** Execution history across workflows, filterable, with live status changes. */
export default function WorkflowExecutions() {
  const [params, setParams] = useSearchParams();
  const workflowId = params.get('workflow_id') ?? '';
  const status = EXECUTION_STATUSES.find((st) => st === params.get('status')) ?? '';
  const since = params.get('since') ?? '';
  const [pages, setPages] = useState<readonly ExecutionSummary[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useResource(async () => {
    const r = await executions.list({ workflow_id: workflowId || undefined, status: status ? [status] : undefined, since: since ? new Date(since).toISOString() : undefined, limit: PAGE });
    setPages([[...r.items]]);
    setCursor(r.next_cursor ?? null);
    return r;
  }, [workflowId, status, since]);
  const names = useResource(() => workflows.list({ limit: 500 }).then((r) => new Map(r.items.map((w) => [w.id, w.name]))), []);
  const ids = { wf: useId(), status: useId(), since: useId() };

  // Status changes arrive live; a new execution (not on the page yet) reloads the first page.
  useEffect(() => followAll((kind, data) => {
    if (kind !== 'execution') return;
    const x = data as Execution;
    setPages((ps) => {
      const known = ps.some((p) => p.some((e) => e.id === x.id));
      if (!known) return ps;
      return ps.map((p) => p.map((e) => (e.id === x.id ? { ...e, ...x } : e)));
    });
  }, workflowId || undefined), [workflowId]);

  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const more = async () => {
    if (!cursor) return;
    const r = await executions.list({ workflow_id: workflowId || undefined, status: status ? [status] : undefined, since: since ? new Date(since).toISOString() : undefined, limit: PAGE, cursor });
    setPages((ps) => [...ps, [...r.items]]);
    setCursor(r.next_cursor ?? null);
  };
  const items = pages.flat();
  return (
    <div className="page">
      <PageHeader title="Executions" subtitle="Every run of every workflow, newest first." actions={<button type="button" className="btn" onClick={() => void first.reload()}>Refresh</button>} />
      <div className="filters" role="search">
        <label htmlFor={ids.wf}>Workflow</label>
        <select id={ids.wf} className="form-control" value={workflowId} onChange={(e) => set('workflow_id', e.target.value)}>
          <option value="">All workflows</option>
          {[...(names.data ?? new Map<string, string>())].map(([id, name]) => <option key={id} value={id}>{name} ({shortId(id)})</option>)}
        </select>
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} className="form-control" value={status} onChange={(e) => set('status', e.target.value)}>
          <option value="">Any</option>
          {EXECUTION_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <label htmlFor={ids.since}>Since</label>
        <input id={ids.since} type="date" className="form-control narrow" value={since} onChange={(e) => set('since', e.target.value)} />
      </div>
      <ErrorBanner error={first.error} onRetry={() => void first.reload()} />
      {first.loading && items.length === 0 ? <Loading /> : null}
      {first.data && items.length === 0 ? (
        <EmptyState title={workflowId || status || since ? 'No execution matches these filters' : 'No executions yet'}>
          Run a workflow from its builder page (Run), or let a trigger start one.
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="sr-only">Executions</caption>
          <thead><tr><th scope="col">Execution</th><th scope="col">Workflow</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {items.map((x) => (
              <tr key={x.id}>
                <td><Link to={`/executions/${x.id}`} className="mono">{x.id}</Link></td>
                <td><Link to={`/workflows/${x.workflow_id}`}>{names.data?.get(x.workflow_id) ?? x.workflow_id}</Link> <span className="muted small mono" title={x.workflow_id}>{shortId(x.workflow_id)}</span> <span className="muted small">v{x.version}</span></td>
                <td><StatusBadge status={x.status} /></td>
                <td>{formatMode(x.mode, x.trigger_type)}</td>
                <td className="small">{formatTime(x.started_at ?? x.created_at)}</td>
                <td>{formatDuration(x.duration_ms)}</td>
                <td className="small error-cell">{x.error ? <ErrorText code={x.error.code} message={x.error.message} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {cursor ? <button type="button" className="btn" onClick={() => void more()}>Load more</button> : null}
    </div>
  );
}
