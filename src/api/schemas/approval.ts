import { Type } from '@sinclair/typebox';
import { IsoTime, Nullable, NullableIsoTime } from './common.js';

export const ApprovalSchema = Type.Object({
  run_id: Type.String({ description: 'the waiting node execution (nexec_...): answer it at /automation/approvals/{run_id}/approve|reject' }),
  execution_id: Type.String(),
  workflow_id: Type.String(),
  node_id: Type.String(),
  scope: Type.String({ description: "'' at top level, `loop[2]` inside a loop iteration" }),
  message: Type.String(),
  approvers: Type.Array(Type.String(), { description: 'usernames (or API key names) that may answer; empty = any operator' }),
  plan: Type.Array(Type.String(), { description: 'what approving will do' }),
  requested_at: NullableIsoTime,
  expires_at: NullableIsoTime,
  can_answer: Type.Boolean({ description: 'whether the caller may answer it' }),
  approve_url: Type.Optional(Type.String({ description: 'signed one-time link (only for callers who may answer)' })),
  reject_url: Type.Optional(Type.String()),
});

export const ApprovalListQuery = Type.Object(
  { workflow_id: Type.Optional(Type.String()), execution_id: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

// A POST without a body validates as null.
export const AnswerBody = Type.Union([
  Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
  Type.Null(),
]);

export const AnswerSchema = Type.Object({
  run_id: Type.String(),
  execution_id: Type.String(),
  node_id: Type.String(),
  decision: Type.String({ description: 'approved or rejected' }),
  by: Type.String(),
  comment: Nullable(Type.String()),
  decided_at: IsoTime,
});
