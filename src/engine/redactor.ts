/**
 * Replaces known secret values with a marker wherever they appear in what an execution stores:
 * inputs, outputs, errors, logs. The vault adds every secret field it decrypts for a step.
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] = [];

  get active(): boolean {
    return this.secrets.size > 0;
  }

  /** Values shorter than 4 characters would redact innocent text; they are not secrets worth the name. */
  add(secret: string): void {
    if (secret.length < 4 || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // Longest first, so a secret containing another is replaced whole.
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
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
