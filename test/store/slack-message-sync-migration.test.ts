import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { EXECUTION_COLUMNS, executionValues } from '../../src/store/engine-rows.js';
import { SlackMessageRepository } from '../../src/store/slack-message-repository.js';
import { DIALECTS, execution } from './fixtures.js';
import { previousVersionStore } from './previous-version-store.js';

type Rows = Kysely<Record<string, Record<string, unknown>>>;
const T = 1_700_000_000_000;
const approval = (runId: string) => JSON.stringify({ run_id: runId, message: 'Restart?', plan: [], workflow: 'Guarded restart' });

/** Version 019's Slack message rows: one posted and answered, one posted and waiting, one never posted. */
async function fillOld(db: Kysely<never>): Promise<void> {
  const d = db as unknown as Rows;
  const x = execution('ex_slack', { status: 'waiting' });
  const values = executionValues(x);
  await d.insertInto('executions').values(Object.fromEntries(EXECUTION_COLUMNS.map((c, i) => [c, values[i]]))).execute();
  const row = (run_id: string, ts: string | null, outcome: string | null) => ({ run_id, execution_id: x.id, channel: 'C0OPS', approval: approval(run_id), ts, outcome, created_at: T, updated_at: T });
  await d.insertInto('slack_approval_messages').values([row('run_answered', '1.000100', 'approved'), row('run_waiting', '1.000200', null), row('run_lost', null, null)]).execute();
}

describe.each(DIALECTS)('migration 020 (Slack message sync) on a database of the previous version (%s)', (dialect) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => { for (const d of disposers) await d(); });

  it('owes a post only for the message the old version never posted; answered ones count as shown', async () => {
    const { store, dispose } = await previousVersionStore(dialect, '019_deferred_effects', fillOld);
    disposers.push(dispose);
    const messages = new SlackMessageRepository(store.db, () => T + 1);
    expect(await messages.get('run_answered')).toMatchObject({ shown: 'approved', retry_at: null, attempts: 0, answered_by: null });
    expect(await messages.get('run_waiting')).toMatchObject({ shown: null, retry_at: null, attempts: 0 });
    expect(await messages.get('run_lost')).toMatchObject({ ts: null, retry_at: T, attempts: 0 });
    expect((await messages.due(10)).map((m) => m.run_id)).toEqual(['run_lost']);
  });
});
