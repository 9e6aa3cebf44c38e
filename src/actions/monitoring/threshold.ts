import { Type } from '@sinclair/typebox';

export const THRESHOLD_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
type Op = (typeof THRESHOLD_OPS)[number];

export const ThresholdSchema = Type.Object(
  {
    op: Type.Union(THRESHOLD_OPS.map((o) => Type.Literal(o)), { description: 'Comparison: value <op> threshold is a breach' }),
    value: Type.Number({ description: 'Threshold' }),
  },
  { additionalProperties: false, description: 'A breach when any series’ latest value compares true against value' },
);

export function compare(x: number, op: Op, y: number): boolean {
  switch (op) {
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    default: {
      const never: never = op;
      throw new Error(`unhandled op ${String(never)}`);
    }
  }
}
