import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { n, wf } from '../support/graphs.js';
import { httpFixture } from '../support/http-fixture.js';

describe('notification node', () => {
  let h: Harness;
  let hooks: Awaited<ReturnType<typeof httpFixture>>;
  let smtp: SMTPServer;
  let smtpPort = 0;
  const mails: Array<{ to: string; subject: string; text: string }> = [];
  beforeAll(async () => {
    h = await openHarness(SQLITE);
    hooks = await httpFixture((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); });
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        void simpleParser(stream).then((m) => {
          mails.push({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', subject: m.subject ?? '', text: (m.text ?? '').trim() });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => { await h.close(); await hooks.close(); await new Promise<void>((r) => smtp.close(() => r())); });

  it('slack: posts the resolved message to the webhook from a slack credential', async () => {
    const cred = await h.app.vault.create({ name: 'slack-hook', type: 'slack', data: { webhook_url: `${hooks.url}/services/T000/B000/XXXX` } });
    const r = await h.run(wf([n('tell', 'notification', { channel: 'slack', credential_id: cred.id, message: 'disk full on {{ $trigger.host }}' })], []), { host: 'web1' });
    expect(r.execution.status).toBe('completed');
    const req = hooks.requests.find((x) => x.url === '/services/T000/B000/XXXX')!;
    expect(JSON.parse(req.body)).toEqual({ text: 'disk full on web1' });
    expect(r.node('tell').output).toMatchObject({ channel: 'slack' });
  });

  it('email: sends through SMTP with the first line as subject', async () => {
    const cred = await h.app.vault.create({ name: 'smtp', type: 'smtp', data: { host: '127.0.0.1', port: String(smtpPort), secure: 'false', ignore_tls: 'true', from: 'itw@example.com' } });
    const r = await h.run(wf([n('mail', 'notification', { channel: 'email', credential_id: cred.id, to: 'oncall@example.com', message: 'Backup failed\nsee the run' })], []));
    expect(r.execution.status).toBe('completed');
    expect(mails).toEqual([{ to: 'oncall@example.com', subject: 'Backup failed', text: 'Backup failed\nsee the run' }]);
  });

  it('webhook: POSTs {message} as JSON; a missing recipient fails with the param named', async () => {
    const r = await h.run(wf([n('hook', 'notification', { channel: 'webhook', url: `${hooks.url}/notify`, message: 'hello' })], []));
    expect(r.execution.status).toBe('completed');
    expect(JSON.parse(hooks.requests.find((x) => x.url === '/notify')!.body)).toEqual({ message: 'hello' });
    const bad = await h.run(wf([n('sms', 'notification', { channel: 'sms', message: 'x' })], []));
    expect(bad.execution.status).toBe('failed');
    expect(bad.node('sms').error).toMatchObject({ code: 'invalid_params' });
  });
});
