/** One line of the `npm run bench` table. */
export interface BenchRow {
  readonly suite: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Human-readable goal, e.g. ">= 30000". */
  readonly goal?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export function printTable(rows: readonly BenchRow[]): void {
  const cells = rows.map((r) => [r.suite, r.name, formatNumber(r.value), r.unit, r.goal ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO', r.note ?? '']);
  const header = ['suite', 'benchmark', 'value', 'unit', 'goal', 'met', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

function formatNumber(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}
