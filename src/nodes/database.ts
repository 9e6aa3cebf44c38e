import { Type } from '@sinclair/typebox';
import { CODE_HINTS } from '../actions/code-hints.js';
import { queryDatabaseAction } from '../actions/data/query-database-action.js';
import type { ActionServices } from '../actions/define-action.js';
import type { NodeHandler } from '../engine/node-handler.js';
import type { NodeTypeSpec } from '../model/node-spec.js';

export const databaseSpec: NodeTypeSpec = {
  type: 'database',
  label: 'Database',
  description: 'Runs one SQL statement on PostgreSQL, MariaDB/MySQL or SQLite through a database credential; params are bound, never spliced in.',
  configSchema: Type.Object(
    {
      credential_id: Type.String({ minLength: 1, description: 'A database credential (its URL may hold a password)' }),
      sql: Type.String({ minLength: 1, description: 'Placeholders $1… (PostgreSQL) or ? (MySQL/MariaDB, SQLite)' }),
      params: Type.Optional(Type.Array(Type.Unknown(), { description: 'Values for the placeholders; templates allowed' })),
      max_rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 })),
      timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: 30 })),
    },
    { additionalProperties: false },
  ),
  handles: ['out', 'error'],
  defaultHandle: 'out',
  expressionFields: [],
  // SQL is sent as written: values belong in params, so a template can never splice data into it.
  rawFields: ['sql'],
  rawFieldHints: { sql: CODE_HINTS.sql },
  available: true,
};

export const databaseNode = (services: ActionServices): NodeHandler => ({
  spec: databaseSpec,
  inline: false,
  async run(ctx) {
    const c = ctx.config;
    const output = await queryDatabaseAction.run({
      params: {
        credential_id: String(c['credential_id']),
        sql: String(c['sql']),
        ...(Array.isArray(c['params']) ? { params: c['params'] as unknown[] } : {}),
        ...(typeof c['max_rows'] === 'number' ? { max_rows: c['max_rows'] } : {}),
        ...(typeof c['timeout_seconds'] === 'number' ? { timeout_seconds: c['timeout_seconds'] } : {}),
      },
      log: ctx.log, signal: ctx.signal, idempotencyKey: ctx.idempotencyKey, credentials: ctx.credentials, services,
    });
    return { kind: 'done', output, handle: 'out' };
  },
});
