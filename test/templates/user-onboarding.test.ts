import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { json } from '../support/http-fixture.js';
import { expectCompleted, fakeSaas, loadTemplate, runTemplate } from './template-support.js';

const template = loadTemplate('user-onboarding.yaml');
/** Each system has its own token: a request with another one is refused, as it would be. */
const TOKENS: Record<string, string> = { directory: 'dir-token-1', chat: 'chat-token-2', licenses: 'lic-token-3' };

/** A real SMTP server on loopback keeping every message it accepted, parsed. */
async function startSmtp() {
  const received: Array<{ rcptTo: string[]; mail: ParsedMail }> = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then((mail) => {
        received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(DIALECTS)('template: User Onboarding ($name)', (dialect) => {
  let h: Harness;
  let saas: Awaited<ReturnType<typeof fakeSaas>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    saas = await fakeSaas((req, res) => {
      const system = req.url.split('/')[1] ?? '';
      if (req.headers.authorization !== `Bearer ${TOKENS[system] ?? '-'}`) return json(res, 401, { error: 'unauthorized' });
      json(res, 201, { id: `${system}-${req.url.length}` });
    });
    smtp = await startSmtp();
    for (const [system, token] of Object.entries(TOKENS)) await h.app.vault.create({ name: `${system}-api`, type: 'http_bearer', data: { token }, allowed_hosts: [new URL(saas.url).host] });
    await h.app.vault.create({ name: 'smtp-it', type: 'smtp', data: { host: '127.0.0.1', port: String(smtp.port), secure: 'false', ignore_tls: 'true' } });
  });
  afterAll(async () => {
    await saas.close();
    await smtp.close();
    await h.close();
  });

  it('creates the accounts, assigns licenses, adds to groups, welcomes the new user and tells the manager', async () => {
    const hire = { username: 'jdoe', full_name: 'Jane Doe', department: 'Finance', manager_email: 'boss@corp.test', licenses: ['erp'], groups: ['finance'] };
    const r = await runTemplate(h, template, { body: hire, headers: {}, method: 'POST', path: '/new-user' }, {
      email_domain: 'corp.test', company_name: 'Corp', it_sender: 'it@corp.test',
      directory_api_url: `${saas.url}/directory`, directory_credential_id: 'directory-api',
      chat_api_url: `${saas.url}/chat`, chat_credential_id: 'chat-api',
      license_api_url: `${saas.url}/licenses`, license_credential_id: 'licenses-api',
      default_licenses: ['office-suite'], security_groups: ['all-staff', 'vpn-users'],
    });
    expectCompleted(r);

    expect(saas.calls.map((c) => [c.path, c.auth?.split(' ')[1], c.body])).toEqual([
      ['/directory/users', 'dir-token-1', { username: 'jdoe', display_name: 'Jane Doe', email: 'jdoe@corp.test', department: 'Finance' }],
      ['/chat/users', 'chat-token-2', { email: 'jdoe@corp.test', real_name: 'Jane Doe' }],
      ['/licenses/assignments', 'lic-token-3', { user: 'jdoe@corp.test', license: 'office-suite' }],
      ['/licenses/assignments', 'lic-token-3', { user: 'jdoe@corp.test', license: 'erp' }],
      ['/directory/groups/all-staff/members', 'dir-token-1', { username: 'jdoe' }],
      ['/directory/groups/vpn-users/members', 'dir-token-1', { username: 'jdoe' }],
      ['/directory/groups/finance/members', 'dir-token-1', { username: 'jdoe' }],
    ]);

    expect(smtp.received.map((m) => m.rcptTo)).toEqual([['jdoe@corp.test'], ['boss@corp.test']]);
    const [welcome, manager] = smtp.received.map((m) => m.mail);
    expect(welcome!.subject).toBe('Welcome to Corp, Jane Doe!');
    expect(welcome!.from?.text).toBe('it@corp.test');
    expect(welcome!.text).toContain('- email: jdoe@corp.test');
    expect(welcome!.text).toContain('- software: office-suite, erp');
    expect(manager!.subject).toBe('Jane Doe is set up');
    expect(manager!.text).toContain('the licenses office-suite, erp, and is in the groups all-staff, vpn-users, finance');
  });
});
