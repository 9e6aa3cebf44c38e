import { REDACTED } from '../model/redaction-marker.js';
import { encodedForms } from './secret-encodings.js';

export { REDACTED };

/**
 * Replaces known secret values with the marker wherever they appear in what an execution stores
 * or emits: inputs, outputs, errors, logs, variables. The vault adds every secret it opens for a
 * step, with the encoded forms a step may send it in (base64, URL, JSON escapes, Basic pairs).
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];

  get active(): boolean {
    return this.secrets.size > 0;
  }

  /** Values shorter than 4 characters would redact innocent text; they are not secrets worth the name. */
  add(secret: string): void {
    if (secret.length < 4 || this.secrets.has(secret)) return;
    for (const form of [secret, ...encodedForms(secret), ...linesOf(secret)]) if (form.length >= 4) this.secrets.add(form);
    // Longest first, so a secret containing another is replaced whole.
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }

  /** A credential's `user:secret` pair as HTTP Basic sends it (base64), redacted whole. */
  addPair(user: string, secret: string): void {
    if (secret.length < 4) return;
    this.add(`${user}:${secret}`);
  }

  redact<T>(value: T): T {
    return this.active ? (this.walk(value) as T) : value;
  }

  redactText(text: string): string {
    let out = text;
    for (const s of this.ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /**
   * Text cut at its end (a live output line over its length limit): redacted, and a tail that is the
   * start of a secret (at least 4 characters of it) is redacted too, since the rest was cut away.
   */
  redactCut(text: string): string {
    const out = this.redactText(text);
    for (const s of this.ordered) {
      for (let k = Math.min(s.length - 1, out.length); k >= 4; k--) {
        if (out.endsWith(s.slice(0, k))) return out.slice(0, out.length - k) + REDACTED;
      }
    }
    return out;
  }

  /**
   * A copy with every string redacted. Iterative (an explicit stack, not recursion): trigger payloads
   * and step outputs come from outside, and a 400k-deep value overflowed the recursive version's stack.
   */
  private walk(root: unknown): unknown {
    let result: unknown;
    const stack: Array<{ value: unknown; put: (v: unknown) => void }> = [{ value: root, put: (v) => { result = v; } }];
    while (stack.length > 0) {
      const { value, put } = stack.pop()!;
      if (typeof value === 'string') put(this.redactText(value));
      else if (Array.isArray(value)) {
        const out: unknown[] = new Array<unknown>(value.length);
        put(out);
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], put: (v) => { out[i] = v; } });
      } else if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        put(out);
        const entries: Array<[string, unknown]> = Object.entries(value as Record<string, unknown>);
        // Keys are created in their original order now; values arrive as the stack unwinds.
        for (const [k] of entries) setOwn(out, k, undefined);
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, v] = entries[i]!;
          stack.push({ value: v, put: (x) => setOwn(out, k, x) });
        }
      } else put(value);
    }
    return result;
  }
}

/**
 * A multi-line secret (a PEM key) printed by a process reaches a live view line by line: each of its
 * lines long enough to be secret material (16+ characters, not a `-----BEGIN …-----` armour line) is a
 * secret of its own.
 */
function linesOf(secret: string): string[] {
  if (!secret.includes('\n')) return [];
  return secret.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 16 && !/^-----(BEGIN|END) /.test(l));
}

/** `__proto__` from JSON is an own key, not the prototype. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
