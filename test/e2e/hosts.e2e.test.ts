import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, login, screenshot, startE2E, unreachableByKeyboard, type E2E } from './harness.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\ne2e-never-shown\n-----END OPENSSH PRIVATE KEY-----';

describe('the Hosts page in a real browser', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await e.server.call('POST', '/automation/credentials', { body: { name: 'fleet-key', type: 'ssh_key', data: { host: 'web-1.example.com', username: 'ops', private_key: KEY }, allowed_hosts: ['*.example.com'] } });
    await e.server.call('POST', '/automation/hosts/import', { body: { hosts: [
      { name: 'web-1', address: 'web-1.example.com', tags: ['web', 'prod'], ssh_credential_id: 'fleet-key', attributes: { os: 'debian' } },
      { name: 'web-2', address: 'web-2.example.com', tags: ['web', 'staging'], ssh_credential_id: 'fleet-key' },
      { name: 'db-1', address: 'db-1.example.com', port: 2222, tags: ['db', 'prod'], ssh_credential_id: 'fleet-key' },
    ] } });
    await login(e.page, e.url);
  }, 120_000);
  afterAll(async () => e?.close());

  it('filters hosts by tag chips (kept in the URL), shows the targets, adds and removes a host', async () => {
    const page = e.page;
    await page.goto(`${e.url}/hosts`);
    const rows = page.getByRole('table', { name: 'Hosts' }).getByRole('row');
    await expect.poll(() => rows.count()).toBe(4);
    await screenshot(page, '40-hosts');
    expect(await axeViolations(page)).toEqual([]);
    expect(await unreachableByKeyboard(page)).toEqual([]);

    const chips = page.getByRole('group', { name: 'Filter by tag' });
    await chips.getByRole('button', { name: 'prod' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await chips.getByRole('button', { name: 'web' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('web-1');
    expect(page.url()).toContain('tag=prod&tag=web');
    await expect.poll(() => page.getByText('{"targets":{"tags":["prod","web"]}}').count()).toBe(1);
    await page.reload();
    await expect.poll(() => rows.count()).toBe(2);
    await chips.getByRole('button', { name: 'web' }).click();
    await chips.getByRole('button', { name: 'prod' }).click();
    await expect.poll(() => rows.count()).toBe(4);

    const form = page.getByRole('form', { name: 'Add host' });
    await form.getByLabel('Name').fill('cache-1');
    await form.getByLabel('Address').fill('cache-1.example.com');
    await form.getByLabel('Tags').fill('cache, prod');
    await form.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => rows.count()).toBe(5);
    expect((await e.server.call('GET', '/automation/hosts/cache-1')).body).toMatchObject({ tags: ['cache', 'prod'], ssh_credential_id: 'fleet-key' });

    await page.getByRole('button', { name: 'Remove cache-1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(e.unexpectedErrors()).toEqual([]);
  });

  it('a viewer sees the inventory but is offered no way to change it', async () => {
    const page = e.page;
    const viewer = { username: 'watcher', password: 'a viewer password of some length' };
    await e.server.app.repos.users.create({ ...viewer, role: 'viewer' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').fill(viewer.username);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${e.url}/hosts?tag=db`);
    const rows = page.getByRole('table', { name: 'Hosts' }).getByRole('row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByRole('form', { name: 'Add host' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
  });
});
