import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { e, n, wf } from '../support/graphs.js';

describe('database node', () => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(SQLITE); });
  afterAll(async () => { await h.close(); });

  it('queries MariaDB through a credential with bound params; a template in params cannot inject SQL', async () => {
    const cred = await h.app.vault.create({ name: 'maria', type: 'database', data: { url: 'mysql://root@127.0.0.1:3306/test' } });
    const table = `itw_node_${Date.now()}`;
    const r = await h.run(wf(
      [n('t', 'trigger'),
        n('create', 'database', { credential_id: cred.id, sql: `CREATE TABLE ${table} (host VARCHAR(100), note VARCHAR(200))` }),
        n('insert', 'database', { credential_id: cred.id, sql: `INSERT INTO ${table} VALUES (?, ?)`, params: ['{{ $trigger.host }}', '{{ $trigger.note }}'] }),
        n('read', 'database', { credential_id: cred.id, sql: `SELECT host, note FROM ${table} WHERE host = ?`, params: ['{{ $trigger.host }}'] }),
        n('drop', 'database', { credential_id: cred.id, sql: `DROP TABLE ${table}` })],
      [e('t', 'create'), e('create', 'insert'), e('insert', 'read'), e('read', 'drop')],
    ), { host: 'web1', note: "x'); DROP TABLE users; --" });
    expect(r.execution.status).toBe('completed');
    expect(r.node('read').output).toMatchObject({ rows: [{ host: 'web1', note: "x'); DROP TABLE users; --" }], row_count: 1 });
  });

  it('a SQL error fails the node with the database message', async () => {
    const cred = await h.app.vault.create({ name: 'pg', type: 'database', data: { url: 'postgres://root@127.0.0.1:5432/test' } });
    const r = await h.run(wf([n('q', 'database', { credential_id: cred.id, sql: 'SELECT * FROM no_such_table_itw' })], []));
    expect(r.node('q').error).toMatchObject({ code: 'sql_error' });
    expect(r.node('q').error!.message).toContain('no_such_table_itw');
  });
});
