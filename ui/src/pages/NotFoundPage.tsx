import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" action={<Link className="btn" to="/workflows">Go to workflows</Link>}>
      There is no page at this address.
    </EmptyState>
  );
}
