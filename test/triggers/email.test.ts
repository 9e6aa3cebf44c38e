import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpListener } from '../../src/triggers/sources/email-smtp.js';
import type { ApiServer } from '../api/api-server.js';
import { hasDovecot, startDovecot, type Dovecot } from '../support/dovecot.js';
import { DIALECTS, SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions, untilTrigger } from './trigger-test-kit.js';

describe.each(DIALECTS)('email trigger over SMTP ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  it('nodemailer → the SMTP listener: parsed into from/to/subject/text/html/attachments; a resent Message-ID starts nothing new', async () => {
    const wf = await deployActive(s, echoWorkflow('Inbound mail', { trigger_type: 'email', mode: 'smtp', addresses: ['Ops@itw.test'] }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    const address = (s.app.triggers.source('email') as unknown as { smtp: SmtpListener }).smtp.address()!;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: address.port, secure: false, ignoreTLS: true });
    const mail = {
      from: '"Monitor" <monitor@example.org>', to: 'ops@itw.test', subject: 'Disk full on db-1', text: 'disk at 95%', html: '<p>disk at <b>95%</b></p>',
      messageId: '<disk-1@example.org>', attachments: [{ filename: 'df.txt', content: 'Filesystem 95%' }],
    };
    await transport.sendMail(mail);
    await transport.sendMail(mail);
    await expect(transport.sendMail({ ...mail, to: 'nobody@itw.test', messageId: '<x@example.org>' })).rejects.toThrow(/550|no trigger/);
    const [run] = await untilExecutions(s, wf, 1);
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(1);
    expect(run!.input_data).toMatchObject({
      mode: 'smtp', recipient: 'ops@itw.test', message_id: '<disk-1@example.org>', subject: 'Disk full on db-1',
      from: [{ address: 'monitor@example.org', name: 'Monitor' }], to: [{ address: 'ops@itw.test' }],
      text: expect.stringContaining('disk at 95%'), html: expect.stringContaining('<b>95%</b>'),
      attachments: [{ filename: 'df.txt', content_type: 'text/plain', size: 14, checksum: expect.any(String) }],
    });
    transport.close();
  });
});

describe('email trigger over IMAP (sqlite, Dovecot)', () => {
  let s: ApiServer;
  let imap: Dovecot;
  beforeAll(async () => {
    // A missing service fails loudly, never skips: `bash .ci/run` installs dovecot-imapd.
    if (!hasDovecot) throw new Error('dovecot is not installed: apt-get install dovecot-imapd (bash .ci/run does)');
    imap = await startDovecot();
    s = await startTriggerServer(SQLITE);
  });
  afterAll(async () => {
    await s?.close();
    await imap?.close();
  });

  const message = (id: string, subject: string) =>
    `From: Alerts <alerts@example.org>\nTo: inbox@itw.test\nSubject: ${subject}\nMessage-ID: <${id}@example.org>\nDate: Thu, 26 Nov 2026 10:00:00 +0000\nContent-Type: text/plain\n\n${subject} body\n`;

  it('polls the mailbox: each unseen message fires once and is flagged seen', async () => {
    imap.deliver(message('m1', 'first'));
    imap.deliver(message('m2', 'second'));
    const wf = await deployActive(s, echoWorkflow('IMAP', {
      trigger_type: 'email', mode: 'imap', imap: { host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, password: imap.password, poll_seconds: 1 },
    }));
    const runs = await untilExecutions(s, wf, 2);
    expect(runs.map((r) => (r.input_data as { subject: string }).subject).sort()).toEqual(['first', 'second']);
    expect(runs[0]!.input_data).toMatchObject({ mode: 'imap', mailbox: 'INBOX', from: [{ address: 'alerts@example.org' }] });
    imap.deliver(message('m3', 'third'));
    await untilExecutions(s, wf, 3);
    await sleep(1500);
    expect(await executionsOf(s, wf)).toHaveLength(3);
  });

  it('an unreachable mailbox shows as error with the reason and is retried', async () => {
    const wf = await deployActive(s, echoWorkflow('IMAP down', {
      trigger_type: 'email', mode: 'imap', imap: { host: '127.0.0.1', port: 1, secure: false, user: 'x', password: 'y', poll_seconds: 1 },
    }));
    const t = await untilTrigger(s, wf, (x) => x.status === 'error');
    expect(t.last_error).toMatch(/ECONNREFUSED|connect/i);
  });
});
