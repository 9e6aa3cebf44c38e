import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { json } from '../support/http-fixture.js';
import { readEntry, startSlapd, type Slapd } from '../support/slapd.js';
import { expectCompleted, fakeSaas, loadTemplate, runTemplate } from './template-support.js';

const template = loadTemplate('user-onboarding.yaml');
/** Each system has its own token: a request with another one is refused, as it would be. */
const TOKENS: Record<string, string> = { chat: 'chat-token-2', licenses: 'lic-token-3' };
const BASE = 'dc=example,dc=com';
const GROUPS = ['all-staff', 'vpn-users', 'finance'];

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
  let ldap: Slapd;
  beforeAll(async () => {
    h = await openHarness(dialect);
    // The directory: a real slapd with the security groups (groupOfNames needs a member to exist).
    ldap = await startSlapd();
    const admin = await ldap.admin();
    for (const cn of GROUPS) await admin.add(`cn=${cn},ou=groups,${BASE}`, { objectClass: 'groupOfNames', cn, member: ldap.adminDn });
    await admin.unbind();
    await h.app.vault.create({ name: 'directory-ldap', type: 'ldap', data: { url: ldap.url, bind_dn: ldap.adminDn, password: ldap.adminPassword, base_dn: BASE } });
    saas = await fakeSaas((req, res) => {
      const system = req.url.split('/')[1] ?? '';
      if (req.headers.authorization !== `Bearer ${TOKENS[system] ?? '-'}`) return json(res, 401, { error: 'unauthorized' });
      json(res, 201, { id: `${system}-${req.url.length}` });
    });
    smtp = await startSmtp();
    for (const [system, token] of Object.entries(TOKENS)) await h.app.vault.create({ name: `${system}-api`, type: 'http_bearer', data: { token }, allowed_hosts: [new URL(saas.url).host] });
    await h.app.vault.create({ name: 'smtp-it', type: 'smtp', data: { host: '127.0.0.1', port: String(smtp.port), secure: 'false', ignore_tls: 'true' } });
  });
  const vars = () => ({
    email_domain: 'corp.test', company_name: 'Corp', it_sender: 'it@corp.test',
    ldap_credential_id: 'directory-ldap', ldap_people_dn: `ou=people,${BASE}`, ldap_groups_dn: `ou=groups,${BASE}`,
    chat_api_url: `${saas.url}/chat`, chat_credential_id: 'chat-api',
    license_api_url: `${saas.url}/licenses`, license_credential_id: 'licenses-api',
    default_licenses: ['office-suite'], security_groups: ['all-staff', 'vpn-users'],
  });
  afterAll(async () => {
    await saas.close();
    await smtp.close();
    ldap.close();
    await h.close();
  });

  it('creates the directory and chat accounts, assigns licenses, adds to groups, welcomes the new user and tells the manager', async () => {
    const hire = { username: 'jdoe', full_name: 'Jane Doe', department: 'Finance', manager_email: 'boss@corp.test', licenses: ['erp'], groups: ['finance'] };
    const r = await runTemplate(h, template, { body: hire, headers: {}, method: 'POST', path: '/new-user' }, vars());
    expectCompleted(r);

    const userDn = `uid=jdoe,ou=people,${BASE}`;
    expect(await readEntry(ldap, userDn)).toMatchObject({
      uid: 'jdoe', cn: 'Jane Doe', givenName: 'Jane', sn: 'Doe', displayName: 'Jane Doe', mail: 'jdoe@corp.test', departmentNumber: 'Finance',
    });
    for (const cn of GROUPS) expect((await readEntry(ldap, `cn=${cn},ou=groups,${BASE}`))!['member']).toEqual([ldap.adminDn, userDn]);

    expect(saas.calls.map((c) => [c.path, c.auth?.split(' ')[1], c.body])).toEqual([
      ['/chat/users', 'chat-token-2', { email: 'jdoe@corp.test', real_name: 'Jane Doe' }],
      ['/licenses/assignments', 'lic-token-3', { user: 'jdoe@corp.test', license: 'office-suite' }],
      ['/licenses/assignments', 'lic-token-3', { user: 'jdoe@corp.test', license: 'erp' }],
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

  it('runs again for the same person without failing (the entry and memberships are there), and takes a one-word name without a department', async () => {
    const again = await runTemplate(h, template, { body: { username: 'jdoe', full_name: 'Jane Doe', manager_email: 'boss@corp.test' }, headers: {}, method: 'POST', path: '/new-user' }, vars());
    expectCompleted(again);
    for (const cn of GROUPS.slice(0, 2)) expect((await readEntry(ldap, `cn=${cn},ou=groups,${BASE}`))!['member']).toHaveLength(2);
    const cher = await runTemplate(h, template, { body: { username: 'cher', full_name: 'Cher', manager_email: 'boss@corp.test' }, headers: {}, method: 'POST', path: '/new-user' }, vars());
    expectCompleted(cher);
    const entry = await readEntry(ldap, `uid=cher,ou=people,${BASE}`);
    expect(entry).toMatchObject({ cn: 'Cher', sn: 'Cher', givenName: 'Cher', mail: 'cher@corp.test' });
    expect(entry!['departmentNumber']).toBeUndefined();
  });
});
