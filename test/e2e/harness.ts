import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Config } from '../../src/config/config.js';
import type { ServerOptions } from '../../src/api/server.js';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import type { BrowserGlobals } from './browser-globals.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = join(here, '..', '..');
export const SCREENSHOTS = join(here, 'screenshots');
const UI = join(REPO, 'ui');
const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const USER = { username: 'ops', password: 'correct horse battery staple' } as const;

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The tests drive the built UI, as users get it. `npm install` builds it; a tree whose ui/src is
 * newer than ui/dist (a developer editing the UI) is rebuilt here, once per run.
 */
export function ensureUiBuilt(): void {
  const index = join(UI, 'dist', 'index.html');
  const fresh = () => {
    const sources = Math.max(newest(join(UI, 'src')), statSync(join(UI, 'index.html')).mtimeMs, statSync(join(UI, 'vite.config.ts')).mtimeMs);
    return existsSync(index) && statSync(index).mtimeMs >= sources;
  };
  if (fresh()) return;
  // Test files run in parallel workers: one builds, the others wait for it (a directory is an atomic lock).
  const lock = join(UI, '.build-lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`${lock} held for 3 minutes: remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    // Vitest sets NODE_ENV=test, which would give Vite a development build of React: build what users get.
    if (!fresh()) execFileSync('npm', ['run', 'build', '-w', 'ui'], { cwd: REPO, stdio: 'pipe', timeout: 180_000, env: { ...process.env, NODE_ENV: 'production' } });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface E2E {
  readonly server: ApiServer;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly url: string;
  /** Errors the page logged or threw, and requests to other origins. */
  readonly pageErrors: string[];
  /** pageErrors without the browser's own notes on 4xx API answers the tests provoke on purpose (401 before login, 422 of an invalid save). */
  unexpectedErrors(): string[];
  close(): Promise<void>;
}

/**
 * A real server (SQLite, templates from the fixtures), a user with a password (unless `noUser`, for
 * the first-run setup), and Debian's Chromium with a fresh profile.
 */
export async function startE2E(opts: { templatesDir?: string; config?: Partial<Config>; server?: ServerOptions; noUser?: boolean } = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it)`);
  }
  ensureUiBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startApiServer({ name: 'sqlite', url: undefined, label: 'sqlite' }, {
    templatesDir: opts.templatesDir ?? join(here, 'fixtures', 'templates'), ...(opts.config ? { config: opts.config } : {}), ...(opts.server ? { server: opts.server } : {}),
  });
  if (!opts.noUser) await server.app.repos.users.create({ ...USER, role: 'admin' });
  const profile = mkdtempSync(join(tmpdir(), 'itw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  // Nothing may leave the machine: any request to another origin is a bug (CDN, fonts, telemetry).
  await context.route((u) => !u.href.startsWith(server.url) && !u.href.startsWith('data:') && !u.href.startsWith('blob:'), async (route) => {
    pageErrors.push(`request to another origin: ${route.request().url()}`);
    await route.abort();
  });
  return {
    server, context, page, url: server.url, pageErrors,
    unexpectedErrors: () => pageErrors.filter((m) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m)),
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
      await server.close();
    },
  };
}

export async function login(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Username').fill(USER.username);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** axe-core on the page as it is now: the serious and critical violations (WCAG 2 A/AA and best practices). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, so the page's CSP (no inline scripts) does not need loosening for it.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as BrowserGlobals;
    const r = await w.axe.run(w.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Tabs through the page from the top and returns the interactive elements of `main` that focus never
 * reached (by their text or label): empty when everything is reachable by keyboard.
 */
export async function unreachableByKeyboard(page: Page, maxTabs = 150): Promise<string[]> {
  const total = await page.evaluate(() => {
    const w = globalThis as unknown as BrowserGlobals;
    const els = [...w.document.querySelectorAll('main a[href], main button:not([disabled]), main input:not([disabled]):not([type=hidden]), main select:not([disabled]), main textarea:not([disabled]), main [tabindex]:not([tabindex="-1"])')]
      .filter((e) => e.offsetParent !== null || e.closest('label') !== null);
    els.forEach((e, i) => e.setAttribute('data-kb', String(i)));
    return els.length;
  });
  await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.blur());
  await page.locator('body').focus();
  const seen = new Set<string>();
  for (let i = 0; i < maxTabs && seen.size < total; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const active = (globalThis as unknown as BrowserGlobals).document.activeElement;
      return active?.closest('[data-kb]')?.getAttribute('data-kb') ?? active?.querySelector('[data-kb]')?.getAttribute('data-kb') ?? null;
    });
    if (id !== null) seen.add(id);
  }
  return page.evaluate((reached) => [...(globalThis as unknown as BrowserGlobals).document.querySelectorAll('[data-kb]')]
    .filter((e) => !reached.includes(e.getAttribute('data-kb')!))
    .map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? e.tagName).trim().slice(0, 60)), [...seen]);
}
