import { Type } from '@sinclair/typebox';
import { HostFields, HostInput, TAG_PATTERN } from '../../model/hosts/host.js';
import { IsoTime } from './common.js';

export const HostBody = HostInput;

export const HostSchema = Type.Object({
  id: Type.String(),
  ...HostFields,
  port: Type.Integer(),
  tags: Type.Array(Type.String()),
  attributes: Type.Record(Type.String(), Type.String()),
  created_at: IsoTime,
  updated_at: IsoTime,
});

export const HostListQuery = Type.Object(
  { tag: Type.Optional(Type.Array(Type.String({ pattern: TAG_PATTERN }), { maxItems: 32, description: 'Only hosts carrying every tag given (repeat the parameter)' })) },
  { additionalProperties: false },
);

export const HostImportQuery = Type.Object(
  { mode: Type.Optional(Type.Unsafe<'merge' | 'replace'>({ type: 'string', enum: ['merge', 'replace'], default: 'merge', description: 'merge: create or replace the hosts named; replace: also delete every host the document does not name' })) },
  { additionalProperties: false },
);

export const HostExportQuery = Type.Object(
  { format: Type.Optional(Type.Unsafe<'json' | 'yaml'>({ type: 'string', enum: ['json', 'yaml'], default: 'yaml' })) },
  { additionalProperties: false },
);

export const HostImportResult = Type.Object({ created: Type.Integer(), updated: Type.Integer(), deleted: Type.Integer() });
