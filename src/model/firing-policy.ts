import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Settings every trigger type accepts beside its own config (issue 15): `debounce_seconds` folds a
 * burst of events into one execution with the last event; `rate_limit` refuses events over
 * `max` per `per_seconds` (webhooks and other HTTP ingress answer 429 with Retry-After, listener
 * sources drop and count them). Both are kept by each process for the triggers it runs.
 */
export const FiringPolicySchema = Type.Object({
  debounce_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
  rate_limit: Type.Optional(Type.Object({
    max: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    per_seconds: Type.Number({ exclusiveMinimum: 0, maximum: 86_400 }),
  }, { additionalProperties: false })),
});
export type FiringPolicy = Static<typeof FiringPolicySchema>;

export const POLICY_FIELDS = ['debounce_seconds', 'rate_limit'] as const;

/** Splits a trigger config into its type's own fields and the firing policy (or the policy's problems). */
export function splitPolicy(raw: Readonly<Record<string, unknown>>): { rest: Record<string, unknown>; policy: FiringPolicy; problems: string[] } {
  const rest: Record<string, unknown> = {};
  const picked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((POLICY_FIELDS as readonly string[]).includes(k)) picked[k] = v;
    else rest[k] = v;
  }
  const problems = [...Value.Errors(FiringPolicySchema, picked)].map((e) => `${e.path || '/'}: ${e.message}`);
  return { rest, policy: problems.length === 0 ? (picked) : {}, problems };
}
