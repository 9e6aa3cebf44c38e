import { Type } from '@sinclair/typebox';

/** The contract the UI's activation dialog reads (model/preflight/preflight-problem.ts). */
export const PreflightProblemSchema = Type.Object(
  {
    code: Type.String({ description: 'stable kind, e.g. credential_missing, trigger_config_invalid, service_not_allowed' }),
    message: Type.String({ description: 'what is wrong and what to do, for people' }),
    path: Type.Optional(Type.String({ description: 'JSON pointer into the definition' })),
    node_id: Type.Optional(Type.String()),
    credential_id: Type.Optional(Type.String({ description: 'the credential a step names (id or name)' })),
    credential_type: Type.Optional(Type.String({ description: 'credential types the step accepts, comma separated' })),
    setting: Type.Optional(Type.String({ description: 'the server setting to change, e.g. ITW_RESTART_ALLOWED_SERVICES' })),
  },
  { additionalProperties: false },
);

export const PreflightSchema = Type.Object({
  problems: Type.Array(PreflightProblemSchema, { description: 'block activation (POST .../activate answers 422 with these as `errors`)' }),
  warnings: Type.Array(PreflightProblemSchema, { description: 'allowed, but worth a look before activating (a schedule firing within 60 s)' }),
});

/** A 422 from activate: problem+json whose `errors` are preflight problems. */
export const PreflightFailedSchema = Type.Object(
  {
    type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), code: Type.String(),
    errors: Type.Optional(Type.Array(PreflightProblemSchema)),
  },
  { additionalProperties: true, description: 'application/problem+json (RFC 9457); code preflight_failed or definition_invalid' },
);
