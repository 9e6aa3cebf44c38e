// Test support: a migrated store per dialect for the incident suites, reopenable on the same database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { FakeClock } from '../../src/engine/clock.js';
import { IncidentService } from '../../src/incidents/incident-service.js';
import type { EscalationTarget, Incident } from '../../src/incidents/incident-types.js';
import type { Notifier, NotifyContext } from '../../src/incidents/notifier.js';
import { openStore, type Store } from '../../src/store/connect.js';
import type { StoreDialect } from '../../src/store/dialect.js';
import { POSTGRES_URL, SELECTED_DIALECTS } from '../support/dialects.js';

/** ITW_TEST_DIALECTS may narrow it (test/support/dialects.ts). */
export const DIALECTS: readonly StoreDialect[] = SELECTED_DIALECTS;
const PG_URL = POSTGRES_URL;

export interface IncidentDb {
  readonly dialect: StoreDialect;
  /** Opens another handle on the same database (a restarted or second process). */
  open(): Promise<Store>;
  /** Drops the schema / deletes the directory; close every store first. */
  dispose(): Promise<void>;
}

export function incidentDb(dialect: StoreDialect): IncidentDb {
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-inc-'));
  const schema = `itw_inc_${randomBytes(6).toString('hex')}`;
  return {
    dialect,
    open: () => openStore(dialect === 'sqlite' ? { dataDir } : { dataDir, databaseUrl: PG_URL, schema }),
    async dispose() {
      if (dialect === 'postgres') {
        const store = await openStore({ dataDir, databaseUrl: PG_URL, schema });
        await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
        await store.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function serviceOver(store: Store, clock = new FakeClock()): IncidentService {
  return IncidentService.over(store.db, { clock, onListenerError: (err) => { throw err; } });
}

export interface Page {
  readonly target: string;
  readonly incident: string;
  readonly level: number | undefined;
  readonly round: number | undefined;
}

/** A Notifier that records pages; targets whose value is in `failing` reject. */
export class RecordingNotifier implements Notifier {
  readonly pages: Page[] = [];
  constructor(private readonly failing: readonly string[] = []) {}

  notify(target: EscalationTarget, incident: Incident, ctx?: NotifyContext): Promise<void> {
    this.pages.push({ target: target.value, incident: incident.key, level: ctx?.level, round: ctx?.round });
    return this.failing.includes(target.value) ? Promise.reject(new Error(`${target.value} unreachable`)) : Promise.resolve();
  }

  /** Target values paged so far, in order. */
  get targets(): string[] {
    return this.pages.map((p) => p.target);
  }
}
