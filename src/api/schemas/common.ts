import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A string enum as plain JSON Schema `enum` (one clear error, unlike TypeBox's union of literals). */
export function stringEnum<T extends string>(values: readonly T[], options: { description?: string; default?: T } = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

export const IsoTime = Type.String({ description: 'ISO 8601 timestamp' });
export const NullableIsoTime = Type.Union([IsoTime, Type.Null()]);

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Any JSON value. */
export const Json = Type.Unknown();
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ProblemItemSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer of the failing field or definition element' }),
    message: Type.String(),
    in: Type.Optional(Type.String({ description: 'body, querystring, params or headers' })),
    code: Type.Optional(Type.String()),
    node_ids: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    errors: Type.Optional(Type.Array(ProblemItemSchema)),
  },
  { additionalProperties: true, description: 'application/problem+json (RFC 9457)' },
);

/** The error answers a route documents, all problem+json. */
export function problems(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}

export const WorkflowIdParams = Type.Object({ id: Type.String({ minLength: 1, description: 'workflow id (wf_...)' }) });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const RevisionBody = {
  expected_revision: Type.Optional(Type.Integer({ minimum: 1, description: 'refuse (409) unless the draft is still at this revision; or send If-Match' })),
};

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
