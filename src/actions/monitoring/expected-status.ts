import { invalidParam } from '../communication/invalid-param.js';

/** `200`, `"2xx"` or `"200-299"`: the forms `expected_status` accepts. */
export type StatusSpec = number | string;

export const STATUS_SPEC_PATTERN = '^([1-5]xx|[1-5]\\d\\d(-[1-5]\\d\\d)?)$';

interface Range {
  readonly from: number;
  readonly to: number;
}

function toRange(spec: StatusSpec, actionId: string, path: string): Range {
  if (typeof spec === 'number') return { from: spec, to: spec };
  const xx = /^([1-5])xx$/.exec(spec);
  if (xx) return { from: Number(xx[1]) * 100, to: Number(xx[1]) * 100 + 99 };
  const range = /^([1-5]\d\d)(?:-([1-5]\d\d))?$/.exec(spec);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (from <= to) return { from, to };
  }
  throw invalidParam(actionId, path, 'must be a status (200), a class ("2xx") or a range ("200-299")');
}

/** The check `status` passes or not, with the specs in one line for messages. */
export function statusMatcher(specs: readonly StatusSpec[], actionId: string, path: string): { matches(status: number): boolean; text: string } {
  const ranges = specs.map((s, i) => toRange(s, actionId, `${path}/${i}`));
  return { matches: (status) => ranges.some((r) => status >= r.from && status <= r.to), text: specs.join(', ') };
}
