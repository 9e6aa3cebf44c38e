import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { n, wf } from '../support/graphs.js';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { httpFixture, json } from '../support/http-fixture.js';

const BOT_TOKEN = '110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const HOOK_TOKEN = 'dIsCoRdWeBhOoKtOkEn_engine_0123456789';

/**
 * Through the engine as a workflow runs them: a Telegram bot token travels in the request path and a
 * Discord webhook token in the URL; trigger data (an attacker's alert text) fills the messages. What
 * the run stores (outputs, errors, log lines) never holds either token, and the hostile "@everyone"
 * notifies nobody.
 */
describe.each(DIALECTS)('chat actions keep their URL secrets out of what a run stores ($label)', (dialect) => {
  let h: Harness;
  let chat: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    chat = await httpFixture((req, res) => {
      if (req.url === `/bot${BOT_TOKEN}/sendMessage`) {
        const { chat_id } = JSON.parse(req.body) as { chat_id: number };
        if (chat_id !== 1) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        return json(res, 200, { ok: true, result: { message_id: 9, chat: { id: 1 }, date: 0 } });
      }
      if (req.url === `/api/webhooks/1/${HOOK_TOKEN}?wait=true`) return json(res, 200, { id: '77', channel_id: '5' });
      json(res, 404, { ok: false, error_code: 404, description: `Not Found: ${req.url}` });
    });
    await h.app.vault.create({ name: 'tg', type: 'telegram', data: { bot_token: BOT_TOKEN, base_url: chat.url } });
    await h.app.vault.create({ name: 'dc', type: 'discord', data: { webhook_url: `${chat.url}/api/webhooks/1/${HOOK_TOKEN}` } });
  });
  afterAll(async () => {
    await chat.close();
    await h.close();
  });

  it('a hostile alert text is sent as data; outputs and logs hold no token', async () => {
    const text = '{{ $trigger.summary }}';
    const r = await h.run(
      wf([
        n('tg', 'action', { action_type: 'send_telegram', credential_id: 'tg', chat_id: 1, text }),
        n('dc', 'action', { action_type: 'send_discord', credential_id: 'dc', content: text }),
      ], []),
      { summary: '@everyone disk full; see /bot../../ and <@&1>' },
    );
    expect(r.execution.status).toBe('completed');
    expect(r.node('tg').output).toEqual({ message_id: 9, chat_id: 1 });
    expect(r.node('dc').output).toEqual({ message_id: '77', channel_id: '5' });
    const discord = chat.requests.find((q) => q.url.startsWith('/api/webhooks/'))!;
    expect(JSON.parse(discord.body)).toMatchObject({ content: '@everyone disk full; see /bot../../ and <@&1>', allowed_mentions: { parse: [] } });
    const stored = JSON.stringify({ runs: r.runs, logs: await h.app.store.engine.listLogs(r.execution.id) });
    expect(stored).not.toContain('AAHdqTcv');
    expect(stored).not.toContain(HOOK_TOKEN);
  });

  it('a failed send stores Telegram’s description, not the token', async () => {
    const r = await h.run(wf([n('tg', 'action', { action_type: 'send_telegram', credential_id: 'tg', chat_id: 2, text: 'x' })], []));
    expect(r.execution.status).toBe('failed');
    expect(r.node('tg').error).toMatchObject({ code: 'telegram_invalid', message: 'Telegram answered HTTP 400: Bad Request: chat not found' });
    expect(JSON.stringify({ runs: r.runs, execution: r.execution })).not.toContain('AAHdqTcv');
  });
});
