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
    for (const form of [secret, ...encodedForms(secret)]) if (form.length >= 4) this.secrets.add(form);
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

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v);
      return out;
    }
    return value;
  }
}
