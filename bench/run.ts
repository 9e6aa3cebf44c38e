import { cpus, totalmem } from 'node:os';
import type { BenchRow } from './bench-row.js';
import { printTable } from './bench-row.js';
import { apiBenchmarks } from './api-bench.js';
import { clusterBenchmarks } from './cluster-bench.js';
import { engineBenchmarks } from './engine-bench.js';
import { historyBenchmarks } from './history-bench.js';
import { triggerBenchmarks } from './trigger-bench.js';

/** `npm run bench [suite...]`: runs the benchmark suites and prints one table. */
const suites: Record<string, () => Promise<BenchRow[]>> = {
  engine: engineBenchmarks,
  api: apiBenchmarks,
  triggers: triggerBenchmarks,
  cluster: clusterBenchmarks,
};
/** Long, opt-in suites: only when named (`npm run bench -- history`). */
const optIn: Record<string, () => Promise<BenchRow[]>> = {
  history: historyBenchmarks,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const [name, run] of Object.entries({ ...suites, ...optIn })) {
    if (wanted.length > 0 ? !wanted.includes(name) : name in optIn) continue;
    process.stderr.write(`running ${name} benchmarks...\n`);
    rows.push(...(await run()));
  }
  console.log(`${new Date().toISOString()} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB`);
  printTable(rows);
}

await main();
