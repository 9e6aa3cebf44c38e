import { Link } from 'react-router';
import type { Execution, LinkedExecution } from '../../api/types';
import { shortId } from '../format';
import { StatusBadge } from '../StatusBadge';

function LinkedList({ title, items, describe }: { title: string; items: readonly LinkedExecution[]; describe: (l: LinkedExecution) => string }) {
  if (items.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        <ul className="linked-executions">
          {items.map((l) => (
            <li key={l.id}>
              <Link to={`/executions/${l.id}`} title={l.id} aria-label={`${describe(l)} ${shortId(l.id)}`}><code>{shortId(l.id)}</code></Link> <StatusBadge status={l.status} /> <span className="muted small">{describe(l)}</span>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

/** How this execution relates to others: the parent that started it, what it retries, its children and its retries. */
export function ExecutionLinks({ execution: x }: { execution: Execution }) {
  const children = x.children ?? [];
  const retries = x.retries ?? [];
  if (!x.parent_execution_id && !x.retry_of && children.length === 0 && retries.length === 0) return null;
  return (
    <dl className="kv kv-inline execution-links" aria-label="Related executions">
      {x.parent_execution_id ? (
        <>
          <dt>Parent</dt>
          <dd><Link to={`/executions/${x.parent_execution_id}`} title={x.parent_execution_id} aria-label={`Parent execution ${shortId(x.parent_execution_id)}`}><code>{shortId(x.parent_execution_id)}</code></Link>{x.parent_node_id ? <span className="muted small"> step {x.parent_node_id}</span> : null}</dd>
        </>
      ) : null}
      {x.retry_of ? (
        <>
          <dt>Retry of</dt>
          <dd><Link to={`/executions/${x.retry_of}`} title={x.retry_of} aria-label={`Retried execution ${shortId(x.retry_of)}`}><code>{shortId(x.retry_of)}</code></Link></dd>
        </>
      ) : null}
      <LinkedList title="Sub-workflows" items={children} describe={(l) => `Child execution from step ${l.parent_node_id ?? ''}`.trim()} />
      <LinkedList title="Retries" items={retries} describe={() => 'Retry'} />
    </dl>
  );
}
