import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './connect.js';
import type { NewDeployment } from '../actions/deployment/deployment-ledger.js';
import { KyselyDeploymentLedger } from './kysely-deployment-ledger.js';
import { POSTGRES_URL as PG_URL, SELECTED_DIALECTS } from '../../test/support/dialects.js';


const base: NewDeployment = {
  application: 'shop',
  environment: 'prod',
  version: 'v1',
  previous_version: null,
  status: 'succeeded',
  rollback: false,
  method: 'command',
  idempotency_key: null,
};

// One suite, both store dialects (STYLE.md rule 6).
describe.each(SELECTED_DIALECTS)('KyselyDeploymentLedger on %s', (dialect) => {
  let store: Store;
  let ledger: KyselyDeploymentLedger;
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-ledger-'));
  const schema = `itw_t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    store = await openStore(dialect === 'sqlite' ? { dataDir } : { dataDir, databaseUrl: PG_URL, schema });
    let t = 1_700_000_000_000;
    ledger = KyselyDeploymentLedger.over(store.db, () => t++);
  });

  afterAll(async () => {
    if (dialect === 'postgres') await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(store.db);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records deployments and finds the latest succeeded one, stepping back by id', async () => {
    const v1 = await ledger.record(base);
    const v2 = await ledger.record({ ...base, version: 'v2', previous_version: 'v1', idempotency_key: 'exec:deploy:0:1' });
    await ledger.record({ ...base, version: 'v3', previous_version: 'v2', status: 'failed' });
    await ledger.record({ ...base, environment: 'staging', version: 'v9' });

    expect(v1).toMatchObject({ ...base, at: 1_700_000_000_000 });
    expect(v1.id).toMatch(/^dep_/);
    expect(await ledger.latest('shop', 'prod')).toEqual(v2);
    expect(await ledger.latest('shop', 'prod', v2.id)).toEqual(v1);
    expect(await ledger.latest('shop', 'prod', v1.id)).toBeUndefined();
    expect(await ledger.latest('shop', 'dev')).toBeUndefined();
  });

  it('finds a deployment by idempotency key and keeps the rollback flag', async () => {
    const rb = await ledger.record({ ...base, application: 'api', version: 'v0', previous_version: 'v1', rollback: true, idempotency_key: 'exec:rb:0:1' });
    expect(await ledger.byIdempotencyKey('exec:rb:0:1')).toEqual(rb);
    expect(rb.rollback).toBe(true);
    expect(await ledger.byIdempotencyKey('nope')).toBeUndefined();
  });
});
