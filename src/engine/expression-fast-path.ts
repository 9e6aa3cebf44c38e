import type { Bindings } from './node-handler.js';
import { EXPRESSION_LIMITS } from './expression-limits.js';

/**
 * A synchronous evaluator for the subset of JSONata that most workflow expressions are written in:
 * paths from `$input`/`$trigger`/... or the context, literals, object and array constructors,
 * arithmetic, comparisons, `and`/`or`, `? :`, `&`, `in`, number-literal indexes after a name
 * (`alerts[0]`), and `$sum`, `$count`, `$merge`, `$exists`, `$string`, `$lowercase`, `$uppercase`,
 * `$length`, `$contains`, `$boolean`, `$not` (on the argument types they are exact for).
 * JSONata 2.x evaluates every AST node through an async function and builds each sequence with its own
 * bounds-checking `push`: for the benchmark's one-line transform that was ~45 KB of the ~118 KB a
 * webhook request allocated. This walks the same AST (`expr.ast()`) with plain calls.
 *
 * It is an optimisation, never a second dialect: each rule below is JSONata 2.2's (jsonata.js
 * `evaluatePath`, `evaluateStep`, `lookup`, `evaluateGroupExpression`, ...), except that objects it
 * builds are ordinary objects, as JSON.parse makes them, where JSONata's have no prototype: V8 keeps
 * those in dictionary mode, which made serialising a ten-step chain's outputs 8 % of its CPU (a
 * `__proto__` key, the one difference it would make, goes to JSONata). Whenever a value is one
 * the subset does not handle exactly — an error JSONata would raise, a non-finite number, an array as
 * the context, a sequence over the limit, an object compared with `=` — evaluation throws
 * `UNSUPPORTED` and the caller evaluates the expression with JSONata itself, which is safe because
 * nothing here has side effects. `expression-fast-path.test.ts` compares the two on generated
 * expressions and data.
 */

type Env = { readonly b: Bindings; readonly extra: Readonly<Record<string, unknown>> | undefined };
type Ev = (ctx: unknown, env: Env) => unknown;

/** Thrown (never escapes compileFast's function) when JSONata must decide. One instance: no stack captured per throw. */
const UNSUPPORTED = new Error('outside the expression fast path');
/** What compileFast's function answers when the expression's values are outside the subset: evaluate with JSONata. */
export const FALL_BACK: unique symbol = Symbol('fall back to JSONata');

const SEQ = Symbol('sequence');
type Seq = unknown[] & { [SEQ]?: true };
const LIMIT = EXPRESSION_LIMITS.sequence;

function sequence(): Seq {
  const s: Seq = [];
  s[SEQ] = true;
  return s;
}

function isSequence(v: unknown): v is Seq {
  return Array.isArray(v) && (v as Seq)[SEQ] === true;
}

function bounded<T extends unknown[]>(a: T): T {
  if (a.length > LIMIT) throw UNSUPPORTED;
  return a;
}

/** What JSONata's `evaluate` does with every node's value: an empty sequence is nothing, a singleton its item. */
function settle(v: unknown): unknown {
  if (isSequence(v)) {
    if (v.length === 0) return undefined;
    if (v.length === 1) return v[0];
  }
  return v;
}

function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const out = sequence();
    for (const item of input) {
      const r = lookup(item, key);
      if (r === undefined) continue;
      if (Array.isArray(r)) for (const v of r) out.push(v);
      else out.push(r);
    }
    return bounded(out);
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key)) {
    const r = (input as Record<string, unknown>)[key];
    if (typeof r === 'function') throw UNSUPPORTED;
    return r;
  }
  return undefined;
}

const BINDING_NAMES = new Set(['input', 'trigger', 'nodes', 'vars', 'execution', 'item', 'index', 'error']);

function variable(name: string, ctx: unknown, env: Env): unknown {
  if (name === '') return ctx;
  if (name === '$') return env.b.input; // `$$`: the root, which is the input here (an array input never gets this far)
  if (env.extra !== undefined && Object.prototype.hasOwnProperty.call(env.extra, name)) return env.extra[name];
  if (BINDING_NAMES.has(name)) return env.b[name as keyof Bindings];
  throw UNSUPPORTED; // a built-in function used as a value, or a name JSONata resolves otherwise
}

function finite(n: number): number {
  if (!Number.isFinite(n)) throw UNSUPPORTED;
  return n;
}

/** JSONata's `$boolean` for the values it casts without surprises; arrays and objects go to JSONata. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return finite(v) !== 0;
  throw UNSUPPORTED;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  if (v === undefined || typeof v === 'string') return v;
  throw UNSUPPORTED; // JSONata's signature check (T0410) or its own casting rules
}

/** The built-in functions of the subset, by name and number of arguments. */
const FUNCTIONS: Readonly<Record<string, { readonly arity: number; readonly fn: (a: unknown, b?: unknown) => unknown }>> = {
  sum: {
    arity: 1,
    fn(arg) {
      if (arg === undefined) return undefined;
      const items = Array.isArray(arg) ? arg : [arg];
      let total = 0;
      // Indexed loops on this path: for-of allocated an iterator per call (most of what
      // `$sum($trigger.body.items.price)` allocated).
      for (let k = 0; k < items.length; k++) {
        const n: unknown = items[k];
        if (typeof n !== 'number') throw UNSUPPORTED;
        total += n;
      }
      return finite(total);
    },
  },
  count: { arity: 1, fn: (arg) => (arg === undefined ? 0 : Array.isArray(arg) ? arg.length : 1) },
  merge: {
    arity: 1,
    fn(arg) {
      if (arg === undefined) return undefined;
      const items = Array.isArray(arg) ? arg : [arg];
      const out: Record<string, unknown> = {};
      for (const o of items) {
        if (!isObject(o)) throw UNSUPPORTED;
        for (const k of Object.keys(o)) {
          if (k === '__proto__') throw UNSUPPORTED; // an own key on JSONata's prototype-less object, a prototype here
          out[k] = o[k];
        }
      }
      return out;
    },
  },
  exists: { arity: 1, fn: (arg) => arg !== undefined },
  string: { arity: 1, fn: (arg) => text(arg) },
  lowercase: { arity: 1, fn: (arg) => text(arg)?.toLowerCase() },
  uppercase: { arity: 1, fn: (arg) => text(arg)?.toUpperCase() },
  length: {
    arity: 1,
    fn(arg) {
      const s = text(arg);
      if (s === undefined) return undefined;
      let n = 0;
      for (const _ of s) n++; // code points, as JSONata counts
      return n;
    },
  },
  contains: {
    arity: 2,
    fn(str, token) {
      const s = text(str);
      const t = text(token);
      return s === undefined || t === undefined ? undefined : s.includes(t);
    },
  },
  boolean: { arity: 1, fn: (arg) => (arg === undefined ? undefined : truthy(arg)) },
  not: { arity: 1, fn: (arg) => (arg === undefined ? undefined : !truthy(arg)) },
};

type Ast = Record<string, unknown> & { type?: unknown; value?: unknown };

/** Only nodes whose every property is understood are compiled: a predicate, group or stage anywhere means JSONata. */
function only(node: Ast, keys: readonly string[]): boolean {
  for (const [k, v] of Object.entries(node)) {
    if (v !== undefined && k !== 'type' && k !== 'value' && k !== 'position' && !keys.includes(k)) return false;
  }
  return true;
}

class NotInSubset extends Error {}

function compileNode(node: Ast, depth: number): Ev {
  if (depth > 50 || node === null || typeof node !== 'object') throw new NotInSubset();
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      if (!only(node, [])) throw new NotInSubset();
      const v = node.value;
      return () => v;
    }
    case 'variable': {
      if (!only(node, [])) throw new NotInSubset();
      const name = String(node.value);
      return (ctx, env) => variable(name, ctx, env);
    }
    case 'path':
      return compilePath(node, depth);
    case 'unary':
      return compileUnary(node, depth);
    case 'function':
      return compileCall(node, depth);
    case 'binary':
      return compileBinary(node, depth);
    case 'condition': {
      if (!only(node, ['condition', 'then', 'else'])) throw new NotInSubset();
      const cond = compileNode(node['condition'] as Ast, depth + 1);
      const then = compileNode(node['then'] as Ast, depth + 1);
      const otherwise = node['else'] === undefined ? undefined : compileNode(node['else'] as Ast, depth + 1);
      return (ctx, env) => (truthy(cond(ctx, env)) ? then(ctx, env) : otherwise?.(ctx, env));
    }
    default:
      throw new NotInSubset();
  }
}

/** `[n]` after a name: JSONata's evaluateFilter with a number, applied to one item's value. */
function indexed(value: unknown, at: number): Seq | unknown[] {
  const items: readonly unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
  const i = at < 0 ? items.length + at : at;
  const item = items[i];
  const out = sequence();
  if (item === undefined) return out;
  if (Array.isArray(item)) return item as unknown[];
  out.push(item);
  return out;
}

/** Number-literal index stages (`items[0]`, `alerts[-1]`); any other filter is JSONata's. */
function indexStages(step: Ast): number[] {
  const stages = step['stages'];
  if (stages === undefined) return [];
  if (!Array.isArray(stages) || stages.length === 0) throw new NotInSubset();
  return (stages as Ast[]).map((st) => {
    const expr = st['expr'] as Ast | undefined;
    if (st.type !== 'filter' || !only(st, ['expr']) || expr?.type !== 'number' || !only(expr, [])) throw new NotInSubset();
    return Math.floor(Number(expr.value));
  });
}

function compileStep(step: Ast, first: boolean): Ev {
  if (!only(step, ['stages'])) throw new NotInSubset();
  const name = String(step.value);
  const stages = indexStages(step);
  if (step.type === 'name' && stages.length > 0) {
    return (ctx) => {
      let v: unknown = settle(lookup(ctx, name));
      for (const at of stages) v = indexed(v, at);
      return v;
    };
  }
  if (stages.length > 0) throw new NotInSubset();
  if (step.type === 'name') return (ctx) => settle(lookup(ctx, name));
  if (step.type === 'variable' && first) return (ctx, env) => settle(variable(name, ctx, env));
  throw new NotInSubset();
}

/** JSONata's evaluatePath + evaluateStep for steps that are names (after an optional leading variable). */
function compilePath(node: Ast, depth: number): Ev {
  const steps = node['steps'];
  if (!only(node, ['steps']) || !Array.isArray(steps) || steps.length === 0 || depth > 50) throw new NotInSubset();
  const evs = (steps as Ast[]).map((s, i) => compileStep(s, i === 0));
  const last = evs.length - 1;
  return (ctx, env) => {
    // While the context is one value that is not an array, a step is one property read: no sequences.
    let one: unknown = ctx;
    let i = 0;
    let results: unknown[] | undefined;
    for (; i <= last; i++) {
      const r = evs[i]!(one, env);
      if (r === undefined) return undefined;
      if (Array.isArray(r)) {
        results = [r]; // step i's one result: JSONata's sequence rules from here on
        break;
      }
      one = r;
    }
    if (results === undefined) return one;
    for (;;) {
      let out: unknown[];
      if (i === last && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) {
        out = results[0] as unknown[]; // the last-step rule: an array value is the result as it is
      } else {
        const flat = sequence();
        for (let k = 0; k < results.length; k++) {
          const r = results[k];
          if (Array.isArray(r)) for (let m = 0; m < r.length; m++) flat.push(r[m]);
          else flat.push(r);
        }
        out = bounded(flat);
      }
      if (out.length === 0 || i === last) return settle(out);
      const ev = evs[++i]!;
      results = [];
      for (let k = 0; k < out.length; k++) {
        const r = ev(out[k], env);
        if (r !== undefined) results.push(r);
      }
    }
  };
}

function compileUnary(node: Ast, depth: number): Ev {
  switch (node.value) {
    case '-': {
      if (!only(node, ['expression'])) throw new NotInSubset();
      const operand = compileNode(node['expression'] as Ast, depth + 1);
      return (ctx, env) => {
        const v = operand(ctx, env);
        if (v === undefined) return undefined;
        if (typeof v !== 'number') throw UNSUPPORTED;
        return -finite(v);
      };
    }
    case '[': {
      const items = node['expressions'];
      if (!only(node, ['expressions']) || !Array.isArray(items)) throw new NotInSubset();
      const evs = (items as Ast[]).map((e) => [e.value === '[', compileNode(e, depth + 1)] as const);
      return (ctx, env) => {
        const out: unknown[] = [];
        for (const [nested, ev] of evs) {
          const v = ev(ctx, env);
          if (v === undefined) continue;
          if (nested || !Array.isArray(v)) out.push(v);
          else for (const x of v) out.push(x);
        }
        return bounded(out);
      };
    }
    case '{': {
      const pairs = node['lhs'];
      if (!only(node, ['lhs']) || !Array.isArray(pairs)) throw new NotInSubset();
      const seen = new Set<string>();
      const evs = (pairs as Ast[][]).map(([k, v]) => {
        // Literal, distinct keys only: computed keys group the context (JSONata's group-by), duplicates are an error.
        if (k?.type !== 'string' || !only(k, []) || v === undefined) throw new NotInSubset();
        const key = String(k.value);
        if (seen.has(key) || key === '_jsonata_lambda' || key === '_jsonata_function' || key === '__proto__') throw new NotInSubset();
        seen.add(key);
        return [key, compileNode(v, depth + 1)] as const;
      });
      const keys = evs.map(([key]) => key);
      const values = evs.map(([, ev]) => ev);
      // Indexed, not `for (const [key, ev] of evs)`: that allocated an iterator result per key per
      // evaluation (1.6 % of what a webhook request allocated).
      return (ctx, env) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const v = values[i]!(ctx, env);
          if (v !== undefined) out[keys[i]!] = v;
        }
        return out;
      };
    }
    default:
      throw new NotInSubset();
  }
}

function compileCall(node: Ast, depth: number): Ev {
  const proc = node['procedure'] as Ast | undefined;
  const args = node['arguments'];
  if (!only(node, ['procedure', 'arguments']) || proc?.type !== 'variable' || !only(proc, [])) throw new NotInSubset();
  const name = String(proc.value);
  const f = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  // Exactly the declared arguments: a missing one would be JSONata's context argument.
  if (f === undefined || !Array.isArray(args) || args.length !== f.arity) throw new NotInSubset();
  const [first, second] = (args as Ast[]).map((a) => compileNode(a, depth + 1));
  const shadowed = (env: Env): boolean => env.extra !== undefined && Object.prototype.hasOwnProperty.call(env.extra, name);
  if (second === undefined) {
    return (ctx, env) => {
      if (shadowed(env)) throw UNSUPPORTED;
      return f.fn(first!(ctx, env));
    };
  }
  return (ctx, env) => {
    if (shadowed(env)) throw UNSUPPORTED;
    return f.fn(first!(ctx, env), second(ctx, env));
  };
}

function comparable(v: unknown): v is string | number | undefined {
  if (typeof v === 'number') return finite(v) === v;
  return v === undefined || typeof v === 'string';
}

function primitive(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && finite(v) === v);
}

function arithmetic(op: string, l: unknown, r: unknown): unknown {
  if ((l !== undefined && typeof l !== 'number') || (r !== undefined && typeof r !== 'number')) throw UNSUPPORTED;
  if (l === undefined || r === undefined) return undefined;
  finite(l);
  finite(r);
  switch (op) {
    case '+': return finite(l + r);
    case '-': return finite(l - r);
    case '*': return finite(l * r);
    case '/': return finite(l / r);
    default: return finite(l % r);
  }
}

function compare(op: string, l: unknown, r: unknown): unknown {
  if (!comparable(l) || !comparable(r)) throw UNSUPPORTED;
  if (l === undefined || r === undefined) return undefined;
  if (typeof l !== typeof r) throw UNSUPPORTED;
  switch (op) {
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    default: return l >= r;
  }
}

function equals(l: unknown, r: unknown): boolean | undefined {
  if (l === undefined || r === undefined) return undefined;
  if (!primitive(l) || !primitive(r)) throw UNSUPPORTED;
  return l === r;
}

function concatPart(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw UNSUPPORTED; // JSONata's $string formatting of numbers and objects
  return v;
}

function includes(l: unknown, r: unknown): boolean {
  if (l === undefined || r === undefined) return false;
  const items = Array.isArray(r) ? r : [r];
  for (const item of items) if (item === l) return true;
  return false;
}

const BINARY = new Set(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in']);

function compileBinary(node: Ast, depth: number): Ev {
  const op = String(node.value);
  if (!only(node, ['lhs', 'rhs']) || !BINARY.has(op)) throw new NotInSubset();
  const lhs = compileNode(node['lhs'] as Ast, depth + 1);
  const rhs = compileNode(node['rhs'] as Ast, depth + 1);
  switch (op) {
    case 'and': return (ctx, env) => truthy(lhs(ctx, env)) && truthy(rhs(ctx, env));
    case 'or': return (ctx, env) => truthy(lhs(ctx, env)) || truthy(rhs(ctx, env));
    case '=': return (ctx, env) => equals(lhs(ctx, env), rhs(ctx, env)) ?? false;
    case '!=': return (ctx, env) => {
      const eq = equals(lhs(ctx, env), rhs(ctx, env));
      return eq === undefined ? false : !eq;
    };
    case '<': case '<=': case '>': case '>=': return (ctx, env) => compare(op, lhs(ctx, env), rhs(ctx, env));
    case '&': return (ctx, env) => concatPart(lhs(ctx, env)) + concatPart(rhs(ctx, env));
    case 'in': return (ctx, env) => includes(lhs(ctx, env), rhs(ctx, env));
    default: return (ctx, env) => arithmetic(op, lhs(ctx, env), rhs(ctx, env));
  }
}

export type FastExpression = (b: Bindings, extra?: Readonly<Record<string, unknown>>) => unknown;

/** The fast form of a parsed expression's AST, or undefined when any part of it is outside the subset. */
export function compileFast(ast: unknown): FastExpression | undefined {
  let ev: Ev;
  try {
    ev = compileNode(ast as Ast, 0);
  } catch (err) {
    if (err instanceof NotInSubset) return undefined;
    throw err;
  }
  return (b, extra) => {
    // JSONata wraps an array context in a sequence of its own; that case (and `$` in it) is left to JSONata.
    if (Array.isArray(b.input)) return FALL_BACK;
    try {
      const v = ev(b.input, { b, extra });
      return isSequence(v) ? Array.from(v) : v;
    } catch {
      // UNSUPPORTED, or anything unforeseen: JSONata's answer (or its error) is the one users get.
      return FALL_BACK;
    }
  };
}
