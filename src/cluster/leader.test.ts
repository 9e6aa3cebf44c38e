import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderElection, lockIdOf } from './leader.js';
import { POSTGRES_URL } from '../../test/support/dialects.js';


/** Polls until `pred` holds; the bound is generous, the poll is quick. */
async function until(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Backend pids holding the advisory lock of `key` (a bigint lock shows as classid = high 32 bits, objid = low). */
async function holders(key: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>(
      `select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1
         and ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [lockIdOf(key)],
    );
    return r.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

async function terminate(pid: number): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

describe('LeaderElection (PostgreSQL advisory lock)', () => {
  const started: LeaderElection[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((e) => e.stop()));
  });

  async function elect(key: string, changes: boolean[] = [], retryMs = 100): Promise<LeaderElection> {
    const e = await LeaderElection.start({ connectionString: POSTGRES_URL, key, retryMs, onChange: (l) => changes.push(l) });
    started.push(e);
    return e;
  }

  it('exactly one of two is leader; stopping it releases the lock and the other takes over', async () => {
    const key = `test:${randomUUID()}`;
    const aChanges: boolean[] = [];
    const bChanges: boolean[] = [];
    const a = await elect(key, aChanges);
    const b = await elect(key, bChanges);
    expect(a.isLeader).toBe(true);
    expect(aChanges).toEqual([true]);
    // b keeps trying; a keeps the lock.
    await new Promise((r) => setTimeout(r, 400));
    expect(b.isLeader).toBe(false);
    expect(bChanges).toEqual([]);
    expect(await holders(key)).toHaveLength(1);

    await a.stop();
    expect(a.isLeader).toBe(false);
    expect(aChanges).toEqual([true, false]);
    await until(() => b.isLeader, 'b to lead');
    expect(bChanges).toEqual([true]);
    expect(await holders(key)).toHaveLength(1);

    await b.stop();
    expect(await holders(key)).toEqual([]);
  });

  it('a leader whose connection is killed steps down, the other leads, and it reconnects as a follower', async () => {
    const key = `test:${randomUUID()}`;
    const aChanges: boolean[] = [];
    // a retries slowly (its reconnect waits 2 s of backoff), so b is the one to take over.
    const a = await elect(key, aChanges, 1000);
    const b = await elect(key);
    expect(a.isLeader).toBe(true);
    const [pid] = await holders(key);
    await terminate(pid!);

    await until(() => !a.isLeader, 'a to step down');
    expect(aChanges).toEqual([true, false]);
    await until(() => b.isLeader, 'b to lead');
    expect(a.isLeader).toBe(false);
    // a is back on a new connection, trying: b stopping hands leadership back to it.
    await b.stop();
    await until(() => a.isLeader, 'a to lead again');
    expect(aChanges).toEqual([true, false, true]);
    const now = await holders(key);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(pid);
  });

  it('different keys are different leaderships', async () => {
    const a = await elect(`test:${randomUUID()}`);
    const b = await elect(`test:${randomUUID()}`);
    expect(a.isLeader && b.isLeader).toBe(true);
  });
});
