import type { JsonText } from './host-json.js';

/** The `hosts` table of migration 015 (JSON as text on SQLite, jsonb on PostgreSQL; epoch ms). */
// Type aliases, not interfaces: Kysely's table maps need an implicit index signature.
export type HostsTable = {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: JsonText;
  ssh_credential_id: string;
  attributes: JsonText;
  created_at: number;
  updated_at: number;
};

/** One host a fleet step finished (migration 015), keyed by the step's idempotency key + host name. */
export type FleetHostResultsTable = {
  step_key: string;
  host_name: string;
  status: 'succeeded' | 'failed';
  result: JsonText;
  finished_at: number;
};

export type HostTables = {
  hosts: HostsTable;
  fleet_host_results: FleetHostResultsTable;
};
