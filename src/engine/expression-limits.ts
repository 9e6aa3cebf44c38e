import { NonRetryableError } from '../model/errors.js';

/**
 * Bounds of every JSONata evaluation (templates, transform/condition/switch expressions, the
 * transform_data action). JSONata 2.x checks them itself on every evaluation step (its `guardrails`):
 * elapsed time and nesting depth; `sequence` caps every sequence it builds, the range operator's
 * array included (JSONata's own cap is 1e7 items, which took 26 s and 1.1 GB in one transform).
 *
 * Constants rather than ITW_* settings: the engine's evaluate() is called from many places that have
 * no config at hand, and these bounds are about keeping one expression from stalling the server, not
 * a site preference. An expression that needs more is doing a job for a script step.
 */
export const EXPRESSION_LIMITS = {
  /** Wall-clock budget of one evaluation, ms. The event loop is held at most this long. */
  timeout: 1000,
  /** Deepest nesting of evaluation frames (recursive functions count one frame per level and more). */
  stack: 1000,
  /** Longest sequence (array) one evaluation may build, ranges included. Node outputs are capped at 1 MB anyway. */
  sequence: 100_000,
} as const;

/** JSONata's codes for the limits above: timeout, depth, range over 1e7, sequence over `sequence`. */
const LIMIT_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015']);

/** True when a JSONata error means one of the limits was hit. */
export function isLimitError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LIMIT_CODES.has(code);
}

/** The node-failing error for an evaluation that ran past its bounds: stable code, no retry (it would do the same). */
export function limitExceeded(source: string, err: unknown): NonRetryableError {
  const e = err as { message?: string; code?: string };
  const shown = source.length > 200 ? `${source.slice(0, 200)}…` : source;
  return new NonRetryableError('expression_limit_exceeded', `expression "${shown}" exceeded its limits (${EXPRESSION_LIMITS.timeout} ms, depth ${EXPRESSION_LIMITS.stack}, ${EXPRESSION_LIMITS.sequence} items): ${e.message ?? String(err)}`, {
    details: { jsonata_code: e.code, limits: EXPRESSION_LIMITS },
  });
}
