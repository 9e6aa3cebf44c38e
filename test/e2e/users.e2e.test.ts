import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserGlobals } from './browser-globals.js';
import { axeViolations, login, screenshot, startE2E, unreachableByKeyboard, USER, type E2E } from './harness.js';

const PASSWORD = 'a long enough password';
const HOSTILE = 'x<img src=y onerror=alert(1)>';
const NEW_PASSWORD = 'another long password';
/** Markup that would run if the page ever put the password into its HTML. */
const HOSTILE_PASSWORD = '</td><img src=z onerror=alert(2)>';

/** The users as the API has them now, by username. */
async function apiUsers(e: E2E): Promise<Map<string, { id: string; role: string; slack_user_id: string | null }>> {
  const r = await e.server.call('GET', '/automation/admin/users');
  expect(r.status).toBe(200);
  return new Map(r.body.items.map((u: { username: string }) => [u.username, u]));
}

async function signInAs(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Whether the browser refuses the field's value on its own (the API's pattern, checked before sending). */
const refusedByBrowser = (field: Locator) => field.evaluate((el) => (el as unknown as { validity: { patternMismatch: boolean } }).validity.patternMismatch);

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(you\\))?$`);

describe('the Users page in a real browser', () => {
  let e: E2E;
  let page: Page;
  /** Every request the browser sent to the users API, as "METHOD /path". */
  const sent: string[] = [];
  beforeAll(async () => {
    e = await startE2E();
    page = e.page;
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/automation/admin/users')) sent.push(`${r.method()} ${path}`);
    });
    await login(page, e.url);
  }, 120_000);
  afterAll(async () => e?.close());

  const table = () => page.getByRole('table', { name: 'Users' });
  /** The row whose username cell is exactly this name (the signed-in admin's carries " (you)"). */
  const row = (username: string) => table().getByRole('row').filter({ has: page.getByRole('cell', { name: exactly(username) }) });

  it('adds a user from the form, maps and clears their Slack member id, and shows why a duplicate is refused', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await expect.poll(() => table().getByRole('row').count()).toBe(2);
    await expect(row(USER.username).textContent()).resolves.toContain('(you)');

    const form = page.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Username').fill('alice');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Create user' }).click();
    await row('alice').waitFor();
    await expect(row('alice').textContent()).resolves.toContain('operator');
    await expect(row('alice').textContent()).resolves.toContain('not mapped');
    expect((await apiUsers(e)).get('alice')).toMatchObject({ role: 'operator', slack_user_id: null });
    // A created user can sign in with the password typed in the form.
    expect((await e.server.call('POST', '/auth/login', { as: null, body: { username: 'alice', password: PASSWORD } })).status).toBe(200);

    await row('alice').getByRole('button', { name: 'Map Slack member id of alice' }).click();
    await page.getByLabel('Slack member id for alice').fill('U024BE7LH');
    await page.getByLabel('Slack member id for alice').press('Enter');
    await row('alice').getByText('U024BE7LH').waitFor();
    expect((await apiUsers(e)).get('alice')?.slack_user_id).toBe('U024BE7LH');
    // Focus comes back to the row's button, not to the top of the page.
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('aria-label'))).toBe('Edit Slack member id of alice');

    await screenshot(page, 'users-01-list');
    expect(await axeViolations(page)).toEqual([]);
    expect(await unreachableByKeyboard(page)).toEqual([]);

    await row('alice').getByRole('button', { name: 'Clear Slack member id of alice' }).click();
    await row('alice').getByText('not mapped').waitFor();
    expect((await apiUsers(e)).get('alice')?.slack_user_id).toBeNull();

    const refusal = await e.server.call('POST', '/automation/admin/users', { body: { username: 'alice', password: PASSWORD, role: 'viewer' } });
    expect(refusal.status).toBe(409);
    await form.getByLabel('Username').fill('alice');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.locator('.toast-error').filter({ hasText: refusal.body.detail }).waitFor();
    expect(await table().getByRole('row').count()).toBe(3);
    expect([...(await apiUsers(e)).keys()].sort()).toEqual(['alice', USER.username]);
    expect((await apiUsers(e)).get('alice')?.role).toBe('operator');
    await page.locator('.toast-error').getByRole('button', { name: 'Dismiss' }).click();
  });

  it('deletes a user only after a confirmation that names them, and offers no way to delete oneself', async () => {
    const mine = row(USER.username).getByRole('button', { name: `Delete ${USER.username}` });
    await expect(mine.isDisabled()).resolves.toBe(true);
    await expect(mine.getAttribute('title')).resolves.toMatch(/your own account/);

    await row('alice').getByRole('button', { name: 'Delete alice' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete user' });
    await expect(dialog.textContent()).resolves.toContain('Delete “alice”?');
    await screenshot(page, 'users-02-confirm-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await apiUsers(e)).has('alice')).toBe(true);

    await row('alice').getByRole('button', { name: 'Delete alice' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row('alice').count()).toBe(0);
    expect((await apiUsers(e)).has('alice')).toBe(false);
    expect((await apiUsers(e)).has(USER.username)).toBe(true);
  });

  it('refuses a lowercase or hostile Slack member id in the browser, as the API would, and changes nothing', async () => {
    const bob = await e.server.call('POST', '/automation/admin/users', { body: { username: 'bob', password: PASSWORD, role: 'viewer' } });
    expect(bob.status).toBe(201);
    // The rules the page mirrors: the API refuses such a username and such a Slack id.
    expect((await e.server.call('POST', '/automation/admin/users', { body: { username: HOSTILE, password: PASSWORD, role: 'viewer' } })).status).toBe(400);
    expect((await e.server.call('PATCH', `/automation/admin/users/${bob.body.id}`, { body: { slack_user_id: 'u024be7lh' } })).status).toBe(400);
    await page.reload();
    await row('bob').waitFor();
    sent.length = 0;

    await row('bob').getByRole('button', { name: 'Map Slack member id of bob' }).click();
    for (const bad of ['u024be7lh', HOSTILE]) {
      await page.getByLabel('Slack member id for bob').fill(bad);
      await row('bob').getByRole('button', { name: 'Save' }).click();
      expect(await refusedByBrowser(page.getByLabel('Slack member id for bob')), bad).toBe(true);
    }
    await screenshot(page, 'users-04-slack-id-refused');
    await row('bob').getByRole('button', { name: 'Cancel' }).click();

    const form = page.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Username').fill('carol');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Slack member id').fill(HOSTILE);
    await form.getByRole('button', { name: 'Create user' }).click();
    expect(await refusedByBrowser(form.getByLabel('Slack member id'))).toBe(true);

    expect(sent.filter((s) => !s.startsWith('GET'))).toEqual([]);
    const now = await apiUsers(e);
    expect(now.get('bob')?.slack_user_id).toBeNull();
    expect(now.has('carol')).toBe(false);
  });

  it('shows a hostile username (the CLI does not check the pattern) as text', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await e.server.app.repos.users.create({ username: HOSTILE, password: PASSWORD, role: 'viewer' });
    await page.reload();
    await row(HOSTILE).waitFor();
    await row(HOSTILE).getByRole('button', { name: `Delete ${HOSTILE}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete user' });
    await expect(dialog.textContent()).resolves.toContain(`Delete “${HOSTILE}”?`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(e.unexpectedErrors()).toEqual([]);
  });

  /** Alice (created with `roleIfNew` if the delete test removed her), with a session of her own opened through the API. */
  async function aliceWithSession(roleIfNew: string): Promise<{ id: string; cookie: string }> {
    let alice = (await apiUsers(e)).get('alice');
    if (!alice) {
      const created = await e.server.call('POST', '/automation/admin/users', { body: { username: 'alice', password: PASSWORD, role: roleIfNew } });
      expect(created.status).toBe(201);
      alice = created.body;
    }
    return { id: alice!.id, cookie: await sessionOf('alice', PASSWORD) };
  }
  async function sessionOf(username: string, password: string): Promise<string> {
    const r = await e.server.call('POST', '/auth/login', { as: null, body: { username, password } });
    expect(r.status).toBe(200);
    return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
  const me = (cookie: string) => e.server.call('GET', '/auth/me', { as: null, headers: { cookie } });
  const roleSelect = (username: string) => page.getByLabel(`Role of ${username}`, { exact: true });
  const success = (text: string) => page.locator('.toast-success').filter({ hasText: text });

  it('changes a role in the row: the API has it and the user\'s open session sees it on its next request', async () => {
    const alice = await aliceWithSession('operator');
    expect((await me(alice.cookie)).body.role).toBe('operator');
    await page.reload();
    await expect(roleSelect('alice').inputValue()).resolves.toBe('operator');
    sent.length = 0;

    await roleSelect('alice').selectOption('editor');
    await success('“alice” is now editor').waitFor();
    expect(sent).toContain(`PATCH /automation/admin/users/${alice.id}`);
    expect((await apiUsers(e)).get('alice')?.role).toBe('editor');
    const after = await me(alice.cookie);
    expect(after.status).toBe(200);
    expect(after.body.role).toBe('editor');
    await expect(roleSelect('alice').inputValue()).resolves.toBe('editor');
  });

  it('demotes the only other admin at once; demoting oneself is asked first, and as the last admin refused with the server\'s message', async () => {
    await roleSelect('alice').selectOption('admin');
    await success('“alice” is now admin').waitFor();
    await roleSelect('alice').selectOption('viewer');
    await success('“alice” is now viewer').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect((await apiUsers(e)).get('alice')?.role).toBe('viewer');

    // Asked first; Cancel changes nothing and sends nothing.
    sent.length = 0;
    await roleSelect(USER.username).selectOption('viewer');
    const dialog = page.getByRole('dialog', { name: 'Change your own role' });
    await expect(dialog.textContent()).resolves.toContain('You will lose admin rights at once');
    await screenshot(page, 'users-05-confirm-self-demotion');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(roleSelect(USER.username).inputValue()).resolves.toBe('admin');
    expect(sent.filter((r) => !r.startsWith('GET'))).toEqual([]);

    // The last admin: the server refuses (asked directly, its answer is the message the page must show).
    const opsId = (await apiUsers(e)).get(USER.username)!.id;
    const refusal = await e.server.call('PATCH', `/automation/admin/users/${opsId}`, { body: { role: 'editor' } });
    expect(refusal.status).toBe(409);
    expect(refusal.body.detail).toMatch(/last admin/);
    await roleSelect(USER.username).selectOption('editor');
    await dialog.getByRole('button', { name: 'Make me editor' }).click();
    await page.locator('.toast-error').filter({ hasText: refusal.body.detail }).waitFor();
    await expect(roleSelect(USER.username).inputValue()).resolves.toBe('admin');
    expect((await apiUsers(e)).get(USER.username)?.role).toBe('admin');
    await page.locator('.toast-error').getByRole('button', { name: 'Dismiss' }).click();
  });

  it('an admin who demotes themself (another admin left) loses the page at once', async () => {
    const alice = (await apiUsers(e)).get('alice')!;
    expect((await e.server.call('PATCH', `/automation/admin/users/${alice.id}`, { body: { role: 'admin' } })).status).toBe(200);
    await page.reload();
    await roleSelect(USER.username).selectOption('editor');
    await page.getByRole('dialog', { name: 'Change your own role' }).getByRole('button', { name: 'Make me editor' }).click();
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await expect(page.locator('.topbar-user').textContent()).resolves.toContain('(editor)');
    expect((await apiUsers(e)).get(USER.username)?.role).toBe('editor');
    // Back to admin (through the API, as another admin would) for the tests after this one.
    const ops = (await apiUsers(e)).get(USER.username)!;
    expect((await e.server.call('PATCH', `/automation/admin/users/${ops.id}`, { body: { role: 'admin' } })).status).toBe(200);
    await page.reload();
    await table().waitFor();
    expect(e.unexpectedErrors()).toEqual([]);
  });

  it('resets a password in the row: the old one stops working, the new one works, and sessions opened before end', async () => {
    const alice = await aliceWithSession('viewer');
    expect((await me(alice.cookie)).status).toBe(200);
    const reset = row('alice').getByRole('button', { name: 'Reset password of alice' });
    const field = page.getByLabel('New password for alice', { exact: true });

    // Escape closes the form, sends nothing, puts focus back on the button, and the next opening starts empty.
    sent.length = 0;
    await reset.click();
    await field.fill('typed then abandoned');
    await field.press('Escape');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('aria-label'))).toBe('Reset password of alice');
    await reset.click();
    await expect(field.inputValue()).resolves.toBe('');
    await expect(page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('type'))).resolves.toBe('password');
    expect(sent.filter((r) => !r.startsWith('GET'))).toEqual([]);

    await field.fill(NEW_PASSWORD);
    await screenshot(page, 'users-06-reset-password');
    expect(await axeViolations(page)).toEqual([]);
    expect(await unreachableByKeyboard(page)).toEqual([]);
    await field.focus();
    await field.press('Enter');
    await success('“alice” changed: they were signed out everywhere').waitFor();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.getAttribute('aria-label'))).toBe('Reset password of alice');
    // Not kept anywhere on the page once saved.
    expect(await table().locator('input[type=password]').count()).toBe(0);
    expect(await page.content()).not.toContain(NEW_PASSWORD);

    expect((await e.server.call('POST', '/auth/login', { as: null, body: { username: 'alice', password: PASSWORD } })).status).toBe(401);
    expect((await e.server.call('POST', '/auth/login', { as: null, body: { username: 'alice', password: NEW_PASSWORD } })).status).toBe(200);
    expect((await me(alice.cookie)).status).toBe(401);
    // The admin who reset it stays signed in.
    await expect(table().isVisible()).resolves.toBe(true);
  });

  it('attacker: a non-admin cannot change a role or password through the API; hostile text in the password field is only a password', async () => {
    const alice = (await apiUsers(e)).get('alice')!;
    for (const body of [{ role: 'admin' }, { password: 'taken over, surely' }]) {
      expect((await e.server.call('PATCH', `/automation/admin/users/${alice.id}`, { as: 'operator', body })).status).toBe(403);
    }
    expect((await apiUsers(e)).get('alice')?.role).toBe('admin');
    expect((await e.server.call('POST', '/auth/login', { as: null, body: { username: 'alice', password: NEW_PASSWORD } })).status).toBe(200);

    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await row('alice').getByRole('button', { name: 'Reset password of alice' }).click();
    await page.getByLabel('New password for alice', { exact: true }).fill(HOSTILE_PASSWORD);
    await row('alice').getByRole('button', { name: 'Save' }).click();
    // The form closes only once the server has taken the password (the toast of the previous reset may still be up).
    await row('alice').getByRole('button', { name: 'Reset password of alice' }).waitFor();
    expect((await e.server.call('POST', '/auth/login', { as: null, body: { username: 'alice', password: HOSTILE_PASSWORD } })).status).toBe(200);
    expect(await page.locator('img[src="z"]').count()).toBe(0);
    expect(await page.content()).not.toContain('onerror=alert(2)');
    expect(dialogs).toEqual([]);
    expect(e.unexpectedErrors()).toEqual([]);
  });

  for (const role of ['viewer', 'operator'] as const) {
    it(`a signed-in ${role} sees "Admins only": no user list, no Users link, no request for users`, async () => {
      const who = { username: `a-${role}`, password: PASSWORD };
      expect((await e.server.call('POST', '/automation/admin/users', { body: { ...who, role } })).status).toBe(201);
      await signInAs(page, who);
      await expect(page.locator('.topbar-user').textContent()).resolves.toContain(`(${role})`);
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);
      sent.length = 0;
      await page.goto(`${e.url}/users`);
      await page.getByRole('heading', { name: 'Admins only' }).waitFor();
      if (role === 'viewer') await screenshot(page, 'users-03-admins-only');
      expect(await page.getByRole('table').count()).toBe(0);
      expect(await page.getByRole('form', { name: 'Add user' }).count()).toBe(0);
      expect(await page.content()).not.toContain('bob');
      expect(sent).toEqual([]);
      expect(e.unexpectedErrors()).toEqual([]);
    });
  }
});
