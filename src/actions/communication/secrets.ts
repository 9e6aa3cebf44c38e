import type { ErrorCode } from '../../model/error-codes.js';
import { inspect } from 'node:util';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { REDACTED as MASK } from '../../model/redaction-marker.js';
// Shorter values (a port, "true") would mask harmless text all over the message.
const MIN_SECRET_LENGTH = 6;

type Secrets = readonly (string | undefined)[];

function usable(secrets: Secrets): string[] {
  // Longest first, so a secret containing another is masked whole.
  return secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => acc.replaceAll(s, MASK), text);
}

function scrubDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets)]));
  }
  return value;
}

function mentions(value: unknown, secrets: readonly string[]): boolean {
  if (value === undefined) return false;
  const text = typeof value === 'string' ? value : inspect(value, { depth: 4 });
  return secrets.some((s) => text.includes(s));
}

/**
 * Returns `err` with every secret value masked in its message and details. A cause that mentions a
 * secret (an undici error quoting the URL, a server reply echoing a login) is dropped rather than
 * scrubbed: loggers print causes in full.
 */
export function redactError(err: unknown, secrets: Secrets): unknown {
  const list = usable(secrets);
  if (list.length === 0) return err;
  if (!(err instanceof ItwError)) {
    if (!(err instanceof Error) || !mentions(err, list)) return err;
    return new ItwError('internal_error', scrub(err.message, list), { retryable: true });
  }
  if (!mentions(err.message, list) && !mentions(err.details, list) && !mentions(err.cause, list)) return err;
  const message = scrub(err.message, list);
  const details = err.details === undefined ? undefined : (scrubDeep(err.details, list) as Record<string, unknown>);
  const cause = mentions(err.cause, list) ? undefined : err.cause;
  const base = { ...(details ? { details } : {}), ...(cause === undefined ? {} : { cause }) };
  if (err instanceof RetryableError) {
    return new RetryableError(err.code, message, err.retryAfterMs === undefined ? base : { ...base, retryAfterMs: err.retryAfterMs });
  }
  if (err instanceof NonRetryableError) return new NonRetryableError(err.code, message, base);
  // A plain ItwError was built with a listed code.
  return new ItwError(err.code as ErrorCode, message, { ...base, retryable: err.retryable });
}

/** Runs `fn`; whatever it throws leaves with `secrets` masked. */
export async function withSecretsMasked<T>(secrets: Secrets, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw redactError(err, secrets);
  }
}
