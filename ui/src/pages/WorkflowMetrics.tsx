import { useEffect, useMemo, useRef } from 'react';
import { followAll } from '../api/sse';
import { useResource } from '../api/use-resource';
import { ErrorBanner } from '../components/ErrorBanner';
import { formatPercent } from '../components/format';
import { Loading } from '../components/Loading';
import { DurationPercentiles, ExecutionsOverTime, NodeRanking } from '../components/metrics/MetricsCharts';
import { StatCard } from '../components/metrics/StatCard';
import { PageHeader } from '../components/PageHeader';
import { durationPercentiles, executionsOverTime, nodeRankings, successRate } from '../metrics/aggregate';
import { loadMetrics } from '../metrics/load-metrics';

/** WorkflowMetrics: totals, what is running, success rate, executions over time, duration percentiles, slow and failing nodes. */
export default function WorkflowMetrics() {
  const data = useResource(loadMetrics, []);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { reload } = data;

  // Refresh when executions change, at most every 3 s.
  useEffect(() => {
    const stop = followAll((kind) => {
      if (kind !== 'execution' || pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = undefined;
        void reload();
      }, 3000);
    });
    return () => {
      stop();
      clearTimeout(pending.current);
    };
  }, [reload]);

  const derived = useMemo(() => {
    if (!data.data) return undefined;
    const now = Math.max(data.data.fetchedAt, ...data.data.recent.map((x) => Date.parse(x.created_at)));
    return {
      buckets: executionsOverTime(data.data.recent, now),
      percentiles: durationPercentiles(data.data.recent),
      ranks: nodeRankings(data.data.perWorkflow),
    };
  }, [data.data]);

  if (data.error && !data.data) return <ErrorBanner error={data.error} onRetry={() => void data.reload()} />;
  if (!data.data || !derived) return <Loading label="Loading metrics" />;
  const d = data.data.dashboard;
  return (
    <div className="page">
      <PageHeader title="Metrics" subtitle="How the workflows are doing. Updates as executions finish." actions={<button type="button" className="btn" onClick={() => void data.reload()}>Refresh</button>} />
      <div className="stat-grid">
        <StatCard label="Workflows" value={d.total_workflows} />
        <StatCard label="Active workflows" value={d.active_workflows} />
        <StatCard label="Executions" value={d.total_executions} />
        <StatCard label="Running now" value={d.running_executions} hint={`${d.waiting_executions} waiting`} />
        <StatCard label="Success rate" value={formatPercent(successRate(d.executions_by_status))} hint="completed ÷ finished" />
        <StatCard label="Failed" value={d.executions_by_status['failed'] ?? 0} />
      </div>
      <div className="chart-grid">
        <ExecutionsOverTime buckets={derived.buckets} />
        <DurationPercentiles p={derived.percentiles} />
        <NodeRanking id="slowest" title="Slowest nodes (average duration)" nodes={derived.ranks.slowest} metric="avg_duration_ms" />
        <NodeRanking id="failing" title="Most failing nodes" nodes={derived.ranks.failing} metric="failures" />
      </div>
    </div>
  );
}
