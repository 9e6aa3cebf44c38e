import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserGlobals } from './browser-globals.js';
import { axeViolations, login, screenshot, startE2E, unreachableByKeyboard, USER, type E2E } from './harness.js';

const PASSWORD = 'a long enough password';
const HOSTILE = 'x<img src=y onerror=alert(1)>';

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
