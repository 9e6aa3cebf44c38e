import type { Kysely } from 'kysely';
import type { FleetLedger, HostResult } from '../actions/fleet/fleet-ports.js';
import { readJson } from './host-json.js';
import type { Database } from './schema.js';

/**
 * Fleet host results over the store's database (`fleet_host_results`, migration 015). `redact` is the
 * app's redaction layer: a host's output is stored only after the secrets it may echo are replaced.
 */
export class KyselyFleetLedger implements FleetLedger {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly redact: <T>(value: T) => T = (v) => v,
    private readonly now: () => number = Date.now,
  ) {}

  async record(stepKey: string, host: string, result: HostResult): Promise<void> {
    if (result.status === 'skipped') return;
    // A second run of the same host (two holders of one step) keeps the first result: it is what happened first.
    await this.db
      .insertInto('fleet_host_results')
      .values({ step_key: stepKey, host_name: host, status: result.status, result: JSON.stringify(this.redact(result)), finished_at: this.now() })
      .onConflict((oc) => oc.columns(['step_key', 'host_name']).doNothing())
      .execute();
  }

  async results(stepKey: string): Promise<ReadonlyMap<string, HostResult>> {
    const rows = await this.db.selectFrom('fleet_host_results').select(['host_name', 'result']).where('step_key', '=', stepKey).execute();
    return new Map(rows.map((r) => [r.host_name, readJson<HostResult>(r.result)]));
  }
}
