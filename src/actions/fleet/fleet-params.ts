import { Type } from '@sinclair/typebox';
import { HostTargets } from '../../model/hosts/host.js';

export const DEFAULT_FLEET_CONCURRENCY = 5;

/** The params every fleet-capable action adds: run on inventory hosts instead of one. */
export const fleetParams = {
  targets: Type.Optional(HostTargets),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_FLEET_CONCURRENCY, description: 'With `targets`: hosts run at once' })),
  max_failures: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: 'With `targets`: failed hosts tolerated; once exceeded no new host starts (the rest are skipped) and the step fails' })),
};

const HostResultSchema = Type.Object({
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('skipped')]),
  exit_code: Type.Union([Type.Integer(), Type.Null()]),
  stdout: Type.String(),
  stderr: Type.String(),
  duration_ms: Type.Number(),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  output: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'backup_database: the file made for that host' })),
});

/** A fleet step's output: each host's result by name, and the names by outcome. */
export const FleetOutput = Type.Object({
  hosts: Type.Record(Type.String(), HostResultSchema),
  succeeded: Type.Array(Type.String()),
  failed: Type.Array(Type.String()),
  skipped: Type.Array(Type.String()),
});
