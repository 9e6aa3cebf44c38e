import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';

/**
 * A workflow page that could not load its workflow: a 404 is a not-found state with the way back
 * (a deleted workflow, a mistyped link); anything else is an error to retry, with the way back too.
 */
export function WorkflowNotFound({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <EmptyState title="Workflow not found" action={<Link className="btn btn-primary" to="/workflows">Back to workflows</Link>}>
        There is no workflow at this address: it may have been deleted, or the link is mistyped.
      </EmptyState>
    );
  }
  return (
    <div className="page">
      <ErrorBanner error={error} onRetry={onRetry} />
      <p><Link to="/workflows">Back to workflows</Link></p>
    </div>
  );
}
