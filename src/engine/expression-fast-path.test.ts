import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFast, FALL_BACK } from './expression-fast-path.js';
import { EXPRESSION_LIMITS } from './expression-limits.js';
import { evaluate, hasFastPath } from './expressions.js';
import type { Bindings } from './node-handler.js';
import { prng } from '../../test/support/prng.js';

/*
 * The fast path must give JSONata's answer or step aside: for every generated expression and data,
 * either it falls back, or its value is JSON-identical (key order included) to JSONata's own and
 * JSONata did not raise an error. A seeded generator keeps failures reproducible.
 */

const KEYS = ['a', 'b', 'items', 'price', 'id', 'constructor', 'toString'];
const PATH_KEYS = ['a', 'b', 'items'];

function generators(r: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const data = (depth: number): unknown => {
    const k = r();
    if (depth <= 0 || k < 0.35) return pick([0, 1, 2.5, -3, 7, '', 'x', 'abc', 'AbC', 'b\u00e9\ud83d\ude00', true, false, null]);
    if (k < 0.65) return Array.from({ length: Math.floor(r() * 4) }, () => data(depth - 1));
    const o: Record<string, unknown> = {};
    for (let i = 1 + Math.floor(r() * 4); i > 0; i--) o[pick(KEYS)] = data(depth - 1);
    return o;
  };
  const path = (): string => {
    const head = pick(['$input', '$trigger', '$', '$$', '$vars', '$item', '']);
    // Names mostly from the few keys data uses most, so that paths reach values (and indexes reach arrays).
    const names = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r() < 0.7 ? PATH_KEYS : KEYS) + (r() < 0.2 ? `[${pick([0, 1, -1, 2.5, -3])}]` : '') + (r() < 0.05 ? '[0]' : ''));
    return head === '' ? names.join('.') : [head, ...names].join('.');
  };
  const expr = (depth: number): string => {
    const k = r();
    if (depth <= 0 || k < 0.3) return pick([path(), path(), '1', '2.5', '"s"', '""', 'true', 'false', 'null', '$input', '$trigger', '$foo']);
    if (k < 0.4) return `{${Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => `"k${i}": ${expr(depth - 1)}`).join(', ')}}`;
    if (k < 0.5) return `[${Array.from({ length: Math.floor(r() * 3) }, () => expr(depth - 1)).join(', ')}]`;
    if (k < 0.6) return `$${pick(['sum', 'count', 'merge', 'exists', 'string', 'lowercase', 'uppercase', 'length', 'boolean', 'not'])}(${expr(depth - 1)})`;
    if (k < 0.65) return `$contains(${expr(depth - 1)}, ${pick([expr(depth - 1), '"b"', '""'])})`;
    if (k < 0.7) return `-${expr(depth - 1)}`;
    if (k < 0.75) return `${expr(depth - 1)} ? ${expr(depth - 1)} : ${expr(depth - 1)}`;
    const op = pick(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in']);
    return `(${expr(depth - 1)}) ${op} (${expr(depth - 1)})`;
  };
  return { data, expr, path };
}

function bindingsFrom(gen: ReturnType<typeof generators>, r: () => number): Bindings {
  return {
    input: r() < 0.1 ? [gen.data(2)] : gen.data(3),
    trigger: gen.data(3),
    nodes: {},
    vars: gen.data(2) as Record<string, unknown>,
    execution: { id: 'x1', workflow_id: 'w1', version: 1 },
    ...(r() < 0.5 ? { item: gen.data(2) } : {}),
  };
}

async function viaJsonata(source: string, b: Bindings): Promise<{ value?: unknown; error?: unknown }> {
  const bindings: Record<string, unknown> = { input: b.input, trigger: b.trigger, nodes: b.nodes, vars: b.vars, execution: b.execution };
  if (b.item !== undefined) bindings['item'] = b.item;
  try {
    return { value: await jsonata(source, EXPRESSION_LIMITS).evaluate(b.input, bindings) };
  } catch (error) {
    return { error };
  }
}

const asJson = (v: unknown): string | undefined => JSON.stringify({ v });

describe('expression fast path', () => {
  it('agrees with JSONata on generated expressions and data, or falls back', async () => {
    const r = prng(20261205);
    const gen = generators(r);
    let fast = 0;
    let compared = 0;
    for (let i = 0; i < 4000; i++) {
      const source = gen.expr(3);
      const b = bindingsFrom(gen, r);
      const compiled = compileFast(jsonata(source).ast());
      const reference = await viaJsonata(source, b);
      if (compiled === undefined) continue;
      const value = compiled(b);
      if ('error' in reference) {
        expect({ source, b, value }).toEqual({ source, b, value: FALL_BACK });
        continue;
      }
      compared++;
      if (value === FALL_BACK) continue;
      fast++;
      expect({ source, b, value: asJson(value) }).toEqual({ source, b, value: asJson(reference.value) });
    }
    // The comparison means something only if the fast path answered a good share of the cases.
    expect(compared).toBeGreaterThan(1500);
    expect(fast / compared).toBeGreaterThan(0.5);
  });

  it('agrees with JSONata on generated paths alone: flattening, singletons, indexes', async () => {
    const r = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    // Data shaped for the paths: objects keyed by the path names, arrays of them, arrays of arrays.
    const data = (depth: number): unknown => {
      const k = r();
      if (depth <= 0 || k < 0.2) return pick([1, 'x', null, true]);
      if (k < 0.55) return Array.from({ length: Math.floor(r() * 4) }, () => data(depth - 1));
      return Object.fromEntries(PATH_KEYS.filter(() => r() < 0.7).map((key) => [key, data(depth - 1)]));
    };
    const path = (): string => {
      const steps = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(PATH_KEYS) + (r() < 0.3 ? `[${pick([0, 1, -1, -2])}]` : ''));
      return [pick(['$input', '$trigger', '$item']), ...steps].join('.');
    };
    let defined = 0;
    for (let i = 0; i < 3000; i++) {
      const source = path();
      const b: Bindings = { input: data(4), trigger: data(4), nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 }, item: data(4) };
      const value = compileFast(jsonata(source).ast())!(b);
      const reference = await viaJsonata(source, b);
      if (value === FALL_BACK) continue;
      expect('error' in reference, source).toBe(false);
      if (value !== undefined) defined++;
      expect({ source, b, value: asJson(value) }).toEqual({ source, b, value: asJson(reference.value) });
    }
    expect(defined).toBeGreaterThan(300);
  });

  it('keeps JSONata\'s singleton and array rules', async () => {
    const b: Bindings = {
      input: { one: [{ p: 1 }], many: [{ p: 1 }, { p: 2 }], nested: [[1, 2], [3]], empty: [], tags: ['a'] },
      trigger: {}, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 },
    };
    for (const source of ['$input.one.p', '$input.many.p', '$input.nested', '$input.nested.x', '$input.empty', '$input.tags', 'one', '$count(tags)', '$sum(many.p)', '[$input.tags, [1]]']) {
      const fast = compileFast(jsonata(source).ast());
      expect(fast, source).toBeDefined();
      const value = fast!(b);
      expect(value).not.toBe(FALL_BACK);
      expect(asJson(value), source).toBe(asJson((await viaJsonata(source, b)).value));
    }
  });

  it('leaves a __proto__ key to JSONata, which keeps it as an ordinary key', async () => {
    const input = JSON.parse('{"a": {"__proto__": {"x": 1}, "b": 2}}') as unknown;
    const b: Bindings = { input, trigger: {}, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 } };
    expect(compileFast(jsonata('$merge([$input.a, {"c": 3}])').ast())!(b)).toBe(FALL_BACK);
    expect(compileFast(jsonata('{"__proto__": 1}').ast())).toBeUndefined();
    expect(JSON.stringify(await evaluate('$merge([$input.a, {"c": 3}])', b))).toBe('{"__proto__":{"x":1},"b":2,"c":3}');
  });

  it('indexes as JSONata does: per item of the step, from the end when negative, arrays unwrapped', async () => {
    const alerts = (n: number) => Array.from({ length: n }, (_, i) => ({ labels: { severity: i === 0 ? 'Critical' : 'warning' }, tags: [[`t${i}`], ['u']] }));
    for (const n of [0, 1, 3]) {
      const b: Bindings = { input: {}, trigger: { body: { alerts: alerts(n) } }, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 } };
      for (const source of ['$trigger.body.alerts[0].labels.severity', '$lowercase($trigger.body.alerts[-1].labels.severity)', '$trigger.body.alerts.tags[0]', '$trigger.body.alerts[1].tags[-1][0]', '$count($trigger.body.alerts[5])']) {
        const value = compileFast(jsonata(source).ast())!(b);
        expect(value, `${source} with ${n} alerts`).not.toBe(FALL_BACK);
        expect(asJson(value), `${source} with ${n} alerts`).toBe(asJson((await viaJsonata(source, b)).value));
      }
    }
  });

  it('never reads inherited properties, as JSONata does not', () => {
    const b: Bindings = { input: { a: 1 }, trigger: {}, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 } };
    expect(compileFast(jsonata('$input.constructor').ast())!(b)).toBeUndefined();
    expect(compileFast(jsonata('$input.__proto__').ast())!(b)).toBeUndefined();
  });

  it('leaves to JSONata what it does not do: errors, regexes, lambdas, predicates, computed keys', async () => {
    const b: Bindings = { input: { a: 'x', n: [1, 2] }, trigger: {}, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 } };
    for (const source of ['$input.n[$ > 1]', '$input[0]', '$map($input.n, function($v) { $v * 2 })', '{$input.a: 1}', '$string()', '$contains($input.a, /x/)', '$input.a ~> $uppercase']) {
      expect(compileFast(jsonata(source).ast()), source).toBeUndefined();
    }
    expect(compileFast(jsonata('$input.a + 1').ast())!(b)).toBe(FALL_BACK);
    expect(compileFast(jsonata('$string($input.n)').ast())!(b)).toBe(FALL_BACK); // number formatting is JSONata's
    await expect(evaluate('$input.a + 1', b)).rejects.toThrow(/failed/);
    // A shadowed function name is JSONata's business too.
    expect(compileFast(jsonata('$count($input.n)').ast())!(b, { count: 5 })).toBe(FALL_BACK);
  });

  it('keeps the evaluation limits: a hostile payload past the sequence bound is JSONata\'s limit error', async () => {
    const items = Array.from({ length: EXPRESSION_LIMITS.sequence + 1 }, (_, i) => ({ v: i % 3 }));
    const b: Bindings = { input: { items }, trigger: {}, nodes: {}, vars: {}, execution: { id: 'x', workflow_id: 'w', version: 1 } };
    expect(compileFast(jsonata('$sum($input.items.v)').ast())!(b)).toBe(FALL_BACK);
    await expect(evaluate('$sum($input.items.v)', b)).rejects.toMatchObject({ code: 'expression_limit_exceeded' });
    // One under the bound is answered by the fast path, with JSONata's value.
    const under: Bindings = { ...b, input: { items: items.slice(1) } };
    expect(compileFast(jsonata('$sum($input.items.v)').ast())!(under)).toBe(items.slice(1).reduce((a, x) => a + x.v, 0));
  });

  it('covers the benchmark workflows\' expressions', () => {
    expect(hasFastPath('{"id": $trigger.body.id, "total": $sum($trigger.body.items.price), "n": $count($trigger.body.items)}')).toBe(true);
    expect(hasFastPath('$merge([$input, {"s2": 2}])')).toBe(true);
    // and the shapes of ops conditions: alert payloads, command output, status codes
    expect(hasFastPath('$lowercase($trigger.body.alerts[0].labels.severity) = "critical"')).toBe(true);
    expect(hasFastPath('$contains($input.stdout, "ERROR") or $input.exit_code != 0')).toBe(true);
  });
});
