import { useId, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../api/client';
import { workflows } from '../api/endpoints';
import { WORKFLOW_STATUSES, type WorkflowSummary } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { readJsonFile } from '../components/download';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatTime, shortId } from '../components/format';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { Pager } from '../components/Pager';
import { StatusBadge } from '../components/StatusBadge';
import { toast } from '../components/toast-store';
import { WorkflowRowStats } from '../components/WorkflowRowStats';

const PAGE = 25;

export default function WorkflowList() {
  const me = useMe();
  const editable = hasRole(me, 'editor');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = WORKFLOW_STATUSES.find((st) => st === params.get('status')) ?? '';
  const category = params.get('category') ?? '';
  const tag = params.get('tag') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const list = useResource(() => workflows.list({ q, status: status || undefined, category, tag, limit: PAGE, offset }), [q, status, category, tag, offset]);
  const [deleting, setDeleting] = useState<WorkflowSummary>();
  const ids = { q: useId(), status: useId(), category: useId(), tag: useId() };

  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'offset') next.delete('offset');
    setParams(next, { replace: true });
  };
  const act = async (what: string, f: () => Promise<unknown>) => {
    try {
      await f();
      toast(what, 'success');
      await list.reload();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const create = async () => {
    try {
      const wf = await workflows.create({
        name: 'Untitled workflow', viewport: { x: 0, y: 0, zoom: 1 },
        nodes: [{ id: 'trigger_1', node_type: 'trigger', label: 'Start', config: { trigger_type: 'manual' }, position_x: 40, position_y: 100 }],
      });
      void navigate(`/workflows/${wf.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };
  const importFile = async (f: File) => {
    try {
      const wf = await workflows.importDoc(await readJsonFile(f));
      void navigate(`/workflows/${wf.id}`);
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const items = list.data?.items ?? [];
  const categories = [...new Set(items.map((w) => w.category).filter((c): c is string => !!c)), ...(category ? [category] : [])];
  const filtered = q || status || category || tag;
  return (
    <div className="page">
      <PageHeader
        title="Workflows"
        subtitle="Every workflow, its state and how its runs went."
        actions={editable ? (
          <>
            <label className="btn file-button">Import JSON<input type="file" accept="application/json,.json" className="sr-only" onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importFile(f);
              e.target.value = '';
            }} /></label>
            <button type="button" className="btn btn-primary" onClick={() => void create()}>New workflow</button>
          </>
        ) : null}
      />
      <div className="filters" role="search">
        <label htmlFor={ids.q} className="sr-only">Search workflows</label>
        <input id={ids.q} type="search" className="form-control" placeholder="Search by name" defaultValue={q} onChange={(e) => set('q', e.target.value)} />
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} className="form-control" value={status} onChange={(e) => set('status', e.target.value)}>
          <option value="">Any</option><option value="draft">Draft</option><option value="active">Active</option><option value="inactive">Inactive</option>
        </select>
        <label htmlFor={ids.category}>Category</label>
        <select id={ids.category} className="form-control" value={category} onChange={(e) => set('category', e.target.value)}>
          <option value="">Any</option>
          {[...new Set(categories)].map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <label htmlFor={ids.tag}>Tag</label>
        <input id={ids.tag} className="form-control narrow" placeholder="any" value={tag} onChange={(e) => set('tag', e.target.value.trim())} />
      </div>
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? (
        filtered ? <EmptyState title="No workflow matches these filters">Clear the search or pick another status, category or tag.</EmptyState> : (
          <EmptyState title="No workflows yet" action={editable ? <Link className="btn btn-primary" to="/templates">Start from a template</Link> : undefined}>
            Create one with “New workflow”, import a JSON definition, or start from a template.
          </EmptyState>
        )
      ) : null}
      {items.length > 0 ? (
        <table className="table">
          <caption className="sr-only">Workflows</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Category / tags</th><th scope="col">Nodes</th><th scope="col">Last run</th><th scope="col">Success rate</th><th scope="col">Updated</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td><Link to={`/workflows/${w.id}`} className="strong-link">{w.name}</Link> <span className="muted small mono" title={w.id}>{shortId(w.id)}</span>{w.description ? <div className="muted small clamp">{w.description}</div> : null}</td>
                <td><StatusBadge status={w.status} />{w.active_version ? <div className="muted small">v{w.active_version}</div> : null}</td>
                <td>{w.category ?? <span className="muted">—</span>} <div>{w.tags.map((t) => <button type="button" key={t} className="tag tag-button" onClick={() => set('tag', t)} aria-label={`Filter by tag ${t}`}>{t}</button>)}</div></td>
                <td>{w.node_count ?? '—'}</td>
                <WorkflowRowStats workflowId={w.id} updatedAt={w.updated_at} />
                <td className="small">{formatTime(w.updated_at)}</td>
                <td className="row-actions">
                  {editable ? (
                    <>
                      {w.status === 'active'
                        ? <button type="button" className="btn btn-small" onClick={() => void act(`${w.name} deactivated`, () => workflows.deactivate(w.id))}>Deactivate</button>
                        : <button type="button" className="btn btn-small" onClick={() => void act(`${w.name} activated`, () => workflows.activate(w.id))}>Activate</button>}
                      <button type="button" className="btn btn-small" onClick={() => void act(`${w.name} cloned`, () => workflows.clone(w.id))}>Clone</button>
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setDeleting(w)} aria-label={`Delete ${w.name}`}>Delete</button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data ? <Pager offset={offset} limit={PAGE} total={list.data.total} onOffset={(o) => set('offset', o ? String(o) : '')} /> : null}
      <ConfirmDialog
        open={deleting !== undefined} title="Delete workflow" confirmLabel="Delete"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const w = deleting!;
          setDeleting(undefined);
          void act(`${w.name} deleted`, () => workflows.remove(w.id));
        }}
      >
        Delete “{deleting?.name}”? Its executions stay in the history.
      </ConfirmDialog>
    </div>
  );
}
