import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { sendEmailAction } from './send-email-action.js';
import { testContext } from './test-context.js';

type Params = Parameters<typeof sendEmailAction.run>[0]['params'];

const USER = 'alerts@example.com';
const PASSWORD = 'smtp-password-9f8e7d6c';

interface Received {
  readonly authMethod: string | undefined;
  readonly mailFrom: string | undefined;
  readonly rcptTo: string[];
  readonly mail: ParsedMail;
}

function smtpReply(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * A real SMTP server on loopback that logs in with PLAIN/LOGIN, refuses nobody@ for good and
 * later@ for now (as a greylisting server would), and keeps every message it accepted, parsed.
 */
async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const methods = new Map<string, string>();
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, done) {
      methods.set(session.id, auth.method);
      if (auth.username === USER && auth.password === PASSWORD) done(null, { user: auth.username });
      else done(smtpReply('Authentication credentials invalid', 535));
    },
    onRcptTo(address, _session, done) {
      if (address.address.startsWith('nobody@')) done(smtpReply('No such user here', 550));
      else if (address.address.startsWith('later@')) done(smtpReply('Greylisted, try again later', 450));
      else done();
    },
    onData(stream, session, done) {
      simpleParser(stream)
        .then((mail) => {
          const from = session.envelope.mailFrom;
          received.push({
            authMethod: methods.get(session.id),
            mailFrom: from === false ? undefined : from.address,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            mail,
          });
          done();
        })
        .catch(done);
    },
    ...options,
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let plain: Awaited<ReturnType<typeof startSmtp>>;
let starttls: Awaited<ReturnType<typeof startSmtp>>;
let closedPort: number;
let creds: ResolvedCredential[];

beforeAll(async () => {
  plain = await startSmtp();
  // Offers STARTTLS with smtp-server's self-signed certificate, which a client that upgrades refuses.
  starttls = await startSmtp({ disabledCommands: [] });
  const gone = await startSmtp();
  closedPort = gone.port;
  await gone.close();
  const smtp = (id: string, port: number, data: Record<string, string> = {}): ResolvedCredential => ({
    id,
    type: 'smtp',
    data: { host: '127.0.0.1', port: String(port), secure: 'false', user: USER, password: PASSWORD, ...data },
  });
  creds = [
    smtp('smtp', plain.port, { from: 'Alerts <alerts@example.com>' }),
    smtp('smtp-no-from', plain.port, { user: 'alerts' }),
    smtp('smtp-wrong-password', plain.port, { password: 'stale-password-1234' }),
    smtp('smtp-closed', closedPort),
    smtp('smtp-starttls', starttls.port),
    smtp('smtp-starttls-ignored', starttls.port, { ignore_tls: 'true' }),
    smtp('smtp-bad-port', plain.port, { port: 'twenty-five' }),
  ];
});

afterAll(async () => {
  await plain.close();
  await starttls.close();
});

function run(params: Params) {
  const { ctx, lines } = testContext(params, creds);
  return { lines, result: sendEmailAction.run(ctx) };
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  return [value ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
}

describe('send_email', () => {
  it('logs in and delivers headers, bodies and envelope as written', async () => {
    const { result, lines } = run({
      credential_id: 'smtp',
      to: ['oncall@example.com', 'Team Lead <lead@example.com>'],
      cc: 'manager@example.com',
      bcc: ['audit@example.com'],
      reply_to: 'noc@example.com',
      subject: 'Incident INC-42: database down',
      text: 'db-1 is down since 02:14.',
      html: '<p>db-1 is <b>down</b> since 02:14.</p>',
    });
    const out = await result;
    const got = plain.received.at(-1)!;
    expect(got.authMethod).toBe('PLAIN');
    expect(got.mailFrom).toBe('alerts@example.com');
    expect(got.rcptTo).toEqual(['oncall@example.com', 'lead@example.com', 'manager@example.com', 'audit@example.com']);
    expect(got.mail.from?.value).toEqual([{ name: 'Alerts', address: 'alerts@example.com' }]);
    expect(addresses(got.mail.to)).toEqual(['oncall@example.com', 'lead@example.com']);
    expect(addresses(got.mail.cc)).toEqual(['manager@example.com']);
    expect(got.mail.bcc).toBeUndefined();
    expect(addresses(got.mail.replyTo)).toEqual(['noc@example.com']);
    expect(got.mail.subject).toBe('Incident INC-42: database down');
    expect(got.mail.text?.trim()).toBe('db-1 is down since 02:14.');
    expect(got.mail.html).toContain('<b>down</b>');
    expect(got.mail.headers.get('x-idempotency-key')).toBe('exec-1:notify:0:1');
    expect(out).toEqual({
      message_id: got.mail.messageId,
      accepted: ['oncall@example.com', 'lead@example.com', 'manager@example.com', 'audit@example.com'],
      rejected: [],
    });
    expect(lines.at(-1)).toMatchObject({ level: 'info', message: `email ${out.message_id} accepted for 4 recipient(s)` });
  });

  it('reports the recipients the server refused while delivering to the others', async () => {
    const { result, lines } = run({ credential_id: 'smtp', to: ['ok@example.com', 'nobody@example.com'], subject: 's', text: 't' });
    expect(await result).toMatchObject({ accepted: ['ok@example.com'], rejected: ['nobody@example.com'] });
    expect(lines[0]).toMatchObject({ level: 'warn', data: { rejected: ['nobody@example.com'] } });
  });

  it('falls back to the login as sender, with AUTH LOGIN when that is all the server offers', async () => {
    const login = await startSmtp({ authMethods: ['LOGIN'] });
    try {
      const cred = { id: 'login', type: 'smtp', data: { host: '127.0.0.1', port: String(login.port), secure: 'false', user: USER, password: PASSWORD } };
      const { ctx } = testContext({ credential_id: 'login', to: 'oncall@example.com', subject: 's', text: 't' }, [cred]);
      await sendEmailAction.run(ctx);
      expect(login.received[0]).toMatchObject({ authMethod: 'LOGIN', mailFrom: USER });
    } finally {
      await login.close();
    }
  });

  it('maps a refused login (535) to a non-retryable smtp_auth that does not name the password', async () => {
    const err: unknown = await run({ credential_id: 'smtp-wrong-password', to: 'a@example.com', subject: 's', text: 't' }).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(err).toMatchObject({ code: 'smtp_auth', details: { smtp_code: 535 } });
    expect((err as Error).message).toMatch(/^SMTP server 127\.0\.0\.1:\d+ refused the login: 535 Authentication credentials invalid$/);
    expect((err as Error).message).not.toContain('stale-password');
  });

  it('maps refused and deferred recipients to smtp_rejected and a retryable smtp_temporary', async () => {
    const refused = run({ credential_id: 'smtp', to: 'nobody@example.com', subject: 's', text: 't' }).result;
    await expect(refused).rejects.toBeInstanceOf(NonRetryableError);
    await expect(refused).rejects.toMatchObject({ code: 'smtp_rejected', details: { smtp_code: 550 } });
    const deferred = run({ credential_id: 'smtp', to: 'later@example.com', subject: 's', text: 't' }).result;
    await expect(deferred).rejects.toBeInstanceOf(RetryableError);
    await expect(deferred).rejects.toMatchObject({ code: 'smtp_temporary', details: { smtp_code: 450 } });
  });

  it('retries when the server cannot be reached', async () => {
    const result = run({ credential_id: 'smtp-closed', to: 'a@example.com', subject: 's', text: 't' }).result;
    await expect(result).rejects.toBeInstanceOf(RetryableError);
    await expect(result).rejects.toMatchObject({ code: 'smtp_connection', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('upgrades with STARTTLS when offered (refusing a self-signed certificate) unless ignore_tls is set', async () => {
    const upgraded = run({ credential_id: 'smtp-starttls', to: 'a@example.com', subject: 's', text: 't' }).result;
    await expect(upgraded).rejects.toBeInstanceOf(NonRetryableError);
    await expect(upgraded).rejects.toMatchObject({ code: 'smtp_tls', message: expect.stringMatching(/^TLS with SMTP server 127\.0\.0\.1:\d+ failed: /) });
    await run({ credential_id: 'smtp-starttls-ignored', to: 'a@example.com', subject: 'plain', text: 't' }).result;
    expect(starttls.received.map((r) => r.mail.subject)).toEqual(['plain']);
  });

  it('refuses a credential without a sender or with a bad port, before connecting', async () => {
    const sent = plain.received.length;
    await expect(run({ credential_id: 'smtp-no-from', to: 'a@example.com', subject: 's', text: 't' }).result).rejects.toMatchObject({
      code: 'credential_invalid',
    });
    await expect(run({ credential_id: 'smtp-bad-port', to: 'a@example.com', subject: 's', text: 't' }).result).rejects.toMatchObject({
      code: 'credential_invalid',
      message: 'credential smtp-bad-port (smtp) has a port that is not a number from 1 to 65535',
    });
    expect(plain.received).toHaveLength(sent);
  });
});

describe('send_email params', () => {
  const valid = { credential_id: 'smtp', to: 'oncall@example.com', subject: 'Disk full', text: 'db-1' };

  it.each([
    [{ to: 'not an address' }, '/to'],
    [{ to: [] }, '/to'],
    [{ cc: ['ok@example.com', 'broken@'] }, '/cc'],
    [{ subject: '' }, '/subject'],
    [{ reply_to: 'nobody' }, '/reply_to'],
    [{ attachments: ['/etc/passwd'] }, '/attachments'],
  ])('rejects %j at %s', (change, path) => {
    expect([...Value.Errors(sendEmailAction.params, { ...valid, ...change })].map((e) => e.path)).toContain(path);
  });

  it('accepts single addresses, lists and display names', () => {
    const params = { ...valid, to: ['a@example.com', '"Ops, EU" <ops@example.com>'], from: 'Alerts <alerts@example.com>' };
    expect([...Value.Errors(sendEmailAction.params, params)]).toEqual([]);
  });

  it('needs text or html', async () => {
    await expect(run({ credential_id: 'smtp', to: 'a@example.com', subject: 's' }).result).rejects.toMatchObject({
      code: 'invalid_params',
      details: { path: '/text' },
    });
  });

  it('plans as recipients and subject', () => {
    const plan = sendEmailAction.plan?.(testContext({ ...valid, to: ['a@example.com', 'b@example.com'], bcc: 'c@example.com' }).ctx);
    expect(plan).toBe('send email to a@example.com, b@example.com (bcc 1): "Disk full"');
  });
});
