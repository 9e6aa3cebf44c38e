import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { approvals, workflows } from '../api/endpoints';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { runsOf } from '../canvas/run-state';
import { ApprovalCard } from '../components/ApprovalCard';
import { NodeRunDetails } from '../components/builder/NodeRunDetails';
import { ErrorBanner } from '../components/ErrorBanner';
import { ExecutionControls } from '../components/execution/ExecutionControls';
import { ExecutionGraph } from '../components/execution/ExecutionGraph';
import { ExecutionLinks } from '../components/execution/ExecutionLinks';
import { NodeRunActions } from '../components/execution/NodeRunActions';
import { GanttChart } from '../components/execution/GanttChart';
import { LiveTerminal } from '../components/execution/LiveTerminal';
import { terminalRun } from '../components/execution/terminal-lines';
import { useLiveExecution } from '../components/execution/use-live-execution';
import { formatDuration, formatMode, formatTime, shortId } from '../components/format';
import { JsonView } from '../components/JsonView';
import { Loading } from '../components/Loading';
import { StatusBadge } from '../components/StatusBadge';
import { useNow } from '../components/use-now';

/**
 * ExecutionViewer: one execution's graph with statuses, its timeline, per-node data, controls, pending
 * approvals, and links to its parent, children and retries (retry from the failed step or from a node).
 */
export default function ExecutionPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const live = useLiveExecution(id);
  const x = live.execution;
  const version = useResource(() => (x ? workflows.version(x.workflow_id, x.version) : Promise.resolve(undefined)), [x?.workflow_id, x?.version]);
  const wfName = useResource(() => (x ? workflows.get(x.workflow_id).then((w) => w.name, () => undefined) : Promise.resolve(undefined)), [x?.workflow_id]);
  const waiting = x?.status === 'waiting' || x?.status === 'paused';
  const pending = useResource(() => (waiting ? approvals.list(id) : Promise.resolve({ items: [] })), [id, waiting, live.runs.length]);
  const [selected, setSelected] = useState<string>();
  const now = useNow(x !== undefined && !['completed', 'failed', 'cancelled'].includes(x.status));

  const shown = terminalRun(live.runs, live.output, selected);
  if (live.error) return <ErrorBanner error={live.error} onRetry={live.reload} />;
  if (!x) return <Loading label="Loading execution" />;
  const def = version.data?.definition;
  return (
    <div className="page execution-page">
      <div className="page-header">
        <div>
          <h1>Execution <code>{x.id}</code></h1>
          <p className="muted">
            <Link to={`/workflows/${x.workflow_id}`}>{wfName.data ?? x.workflow_id}</Link> <span className="mono small" title={x.workflow_id}>{shortId(x.workflow_id)}</span> · v{x.version} · {formatMode(x.mode, x.trigger_type)}
          </p>
        </div>
        <ExecutionControls execution={x} onChanged={live.reload} canOperate={hasRole(me, 'operator')} />
      </div>
      <dl className="kv kv-inline">
        <dt>Status</dt><dd><StatusBadge status={x.status} /></dd>
        <dt>Started</dt><dd>{formatTime(x.started_at ?? x.created_at)}</dd>
        <dt>Finished</dt><dd>{formatTime(x.finished_at)}</dd>
        <dt>Duration</dt><dd>{formatDuration(x.duration_ms)}</dd>
        {x.concurrency_key != null ? (
          <><dt>Concurrency key</dt><dd><code>{x.concurrency_key}</code>{x.status === 'pending' ? <span className="muted small"> · waiting for a free slot of this key</span> : null}</dd></>
        ) : null}
      </dl>
      <ExecutionLinks execution={x} />
      {x.error ? <div className="banner banner-error" role="alert"><strong>{x.error.code}</strong>: {x.error.message}</div> : null}
      {(pending.data?.items.length ?? 0) > 0 ? (
        <section aria-label="Waiting for approval" className="approvals-inline">
          <h2>Waiting for approval</h2>
          {pending.data!.items.map((a) => <ApprovalCard key={a.run_id} approval={a} workflowName={wfName.data} onAnswered={() => { live.reload(); void pending.reload(); }} />)}
        </section>
      ) : null}
      <div className="execution-main">
        <section aria-label="Graph" className="execution-canvas">
          {def ? <ExecutionGraph key={`${x.workflow_id}:${x.version}`} definition={def} runs={live.runs} onSelect={setSelected} /> : <ErrorBanner error={version.error} />}
        </section>
        <aside className="side-panel" aria-label="Node data">
          {selected ? (
            <>
              <h2 className="panel-title">Node <code>{selected}</code></h2>
              <NodeRunActions execution={x} nodeId={selected} runs={runsOf(live.runs, selected)} canOperate={hasRole(me, 'operator')} />
              <NodeRunDetails nodeId={selected} runs={runsOf(live.runs, selected)} />
            </>
          ) : (
            <>
              <h2 className="panel-title">Input and output</h2>
              <p className="muted small">Select a node in the graph or the timeline for its data.</p>
              <h3>Input</h3>
              <JsonView value={x.input_data} label="Execution input" />
              <h3>Output</h3>
              <JsonView value={x.output} label="Execution output" />
              {Object.keys(x.variables).length > 0 ? (<><h3>Variables</h3><JsonView value={x.variables} label="Execution variables" /></>) : null}
            </>
          )}
        </aside>
      </div>
      {shown ? (
        <section aria-label="Terminal" className="card">
          <LiveTerminal run={shown} lines={live.output.get(shown.id) ?? []} />
        </section>
      ) : null}
      <section aria-label="Timeline" className="card">
        <h2>Timeline</h2>
        <GanttChart runs={live.runs} now={x.finished_at ? Date.parse(x.finished_at) : now} onSelect={setSelected} />
      </section>
    </div>
  );
}
