import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { NodeStat, TimeBucket } from '../../metrics/aggregate';
import { formatDuration } from '../format';
import { ChartCard } from './ChartCard';

const COLORS = { completed: '#15803d', failed: '#b91c1c', other: '#64748b', duration: '#1d4ed8', slow: '#7c3aed' };
const axis = { fontSize: 12, fill: '#334155' };

export function ExecutionsOverTime({ buckets }: { buckets: readonly TimeBucket[] }) {
  return (
    <ChartCard id="over-time" title="Executions over time" empty={buckets.length === 0 && 'No executions yet.'}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={[...buckets]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={axis} />
          <YAxis allowDecimals={false} tick={axis} width={36} />
          <Tooltip />
          <Legend />
          <Bar dataKey="completed" stackId="s" fill={COLORS.completed} name="completed" isAnimationActive={false} />
          <Bar dataKey="failed" stackId="s" fill={COLORS.failed} name="failed" isAnimationActive={false} />
          <Bar dataKey="other" stackId="s" fill={COLORS.other} name="other" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function DurationPercentiles({ p }: { p: { p50?: number; p95?: number; p99?: number; count: number } }) {
  const data = [{ name: 'p50', ms: p.p50 ?? 0 }, { name: 'p95', ms: p.p95 ?? 0 }, { name: 'p99', ms: p.p99 ?? 0 }];
  return (
    <ChartCard id="durations" title={`Duration percentiles (${p.count} finished runs)`} empty={p.count === 0 && 'No finished executions yet.'}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="name" tick={axis} />
          <YAxis tick={axis} tickFormatter={(v: number) => formatDuration(v)} width={70} />
          <Tooltip formatter={(v) => formatDuration(Number(v))} />
          <Bar dataKey="ms" fill={COLORS.duration} name="duration" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function NodeRanking({ id, title, nodes, metric }: { id: string; title: string; nodes: readonly NodeStat[]; metric: 'avg_duration_ms' | 'failures' }) {
  return (
    <ChartCard id={id} title={title} empty={nodes.length === 0 && (metric === 'failures' ? 'No node has failed.' : 'No node has run yet.')}>
      <ResponsiveContainer width="100%" height={Math.max(120, nodes.length * 34 + 40)}>
        <BarChart data={[...nodes]} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" tick={axis} allowDecimals={metric === 'avg_duration_ms'} {...(metric === 'avg_duration_ms' ? { tickFormatter: (v: number) => formatDuration(v) } : {})} />
          <YAxis type="category" dataKey="key" tick={axis} width={190} />
          <Tooltip {...(metric === 'avg_duration_ms' ? { formatter: (v: unknown) => formatDuration(Number(v)) } : {})} />
          <Bar dataKey={metric} fill={metric === 'failures' ? COLORS.failed : COLORS.slow} name={metric === 'failures' ? 'failures' : 'average duration'} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
