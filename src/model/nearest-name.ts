/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name a typo most likely meant (`condtion` → `condition`, `send_slak` → `send_slack`), or
 * undefined when none is close: at most 2 edits, and fewer than a third of the name's length, so short
 * names are not "corrected" into unrelated ones.
 */
export function nearestName(typed: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = typed.toLowerCase();
  for (const name of known) {
    const dist = distance(lower, name.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [name, dist];
  }
  return best !== undefined && bestDistance > 0 && bestDistance <= 2 && bestDistance * 3 <= Math.max(typed.length, 3) ? best : undefined;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const near = nearestName(typed, known);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
