import { approvals, workflows } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { ApprovalCard } from '../components/ApprovalCard';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';

/** Every approval waiting for an answer, oldest request first. */
export default function ApprovalsInbox() {
  const list = useResource(async () => {
    const [r, wfs] = await Promise.all([approvals.list(), workflows.list({ limit: 500 })]);
    return { ...r, names: new Map(wfs.items.map((w) => [w.id, w.name])) };
  }, []);
  const items = list.data?.items ?? [];
  return (
    <div className="page">
      <PageHeader title="Approvals" subtitle="Workflows waiting for a person to approve or reject a step." actions={<button type="button" className="btn" onClick={() => void list.reload()}>Refresh</button>} />
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <EmptyState title="Nothing to approve">When a workflow reaches an Approval node, it waits here.</EmptyState> : null}
      <div className="card-list">
        {items.map((a) => <ApprovalCard key={a.run_id} approval={a} workflowName={list.data?.names.get(a.workflow_id)} onAnswered={() => void list.reload()} />)}
      </div>
    </div>
  );
}
