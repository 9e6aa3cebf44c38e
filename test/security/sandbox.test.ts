import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootstrapAdminKey } from '../../src/api/auth/bootstrap-admin.js';
import { loadConfig } from '../../src/config/config.js';
import { AuditLog } from '../../src/store/audit-log.js';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { n, wf } from '../support/graphs.js';
import { processesRunning } from '../support/processes.js';

/**
 * Issue 11, finding 1: an editor's workflow code read the server's environment, key files and
 * database and then wrote an admin API key into it. Each host-side entry point (script node,
 * run_script, local execute_command) now runs the same probe and must come back empty-handed.
 */

// What a probe reports, one line per attempt: `read <path>` or `denied <path>`, then facts.
const SHELL_PROBE = `
data="$1"; spid="$2"
for f in /proc/$spid/environ /proc/$spid/cmdline "$data/encryption.key" "$data/admin-api-key" "$data/itw.sqlite"; do
  if cat "$f" >/dev/null 2>&1; then echo "read $f"; else echo "denied $f"; fi
done
if [ -e "/proc/$spid" ]; then echo "sees-server"; else echo "no-server"; fi
if ls "$data" >/dev/null 2>&1 && [ -n "$(ls -A "$data")" ]; then echo "lists-data-dir"; fi
echo "uid=$(id -u)"
echo "pid1-environ=$(tr '\\0' ' ' < /proc/1/environ 2>/dev/null)"
`;

const JS_PROBE = (data: string, spid: number) => `
const fs = await import('node:fs');
const lines = [];
for (const f of ['/proc/${spid}/environ', '/proc/${spid}/cmdline', '${data}/encryption.key', '${data}/admin-api-key', '${data}/itw.sqlite']) {
  try { fs.readFileSync(f); lines.push('read ' + f); } catch { lines.push('denied ' + f); }
}
lines.push(fs.existsSync('/proc/${spid}') ? 'sees-server' : 'no-server');
try { if (fs.readdirSync('${data}').length > 0) lines.push('lists-data-dir'); } catch {}
lines.push('uid=' + process.getuid());
let env1 = ''; try { env1 = fs.readFileSync('/proc/1/environ', 'utf8').split('\\0').join(' '); } catch {}
lines.push('pid1-environ=' + env1);
return lines.join('\\n');
`;

describe('finding 1: workflow code cannot reach the server (sandbox)', () => {
  let h: Harness;
  let parent: string;
  let dataDir: string;
  let secrets: string[];

  beforeAll(async () => {
    // The site lets sandboxed steps use `parent`, and the data dir is inside it: it must stay hidden anyway.
    parent = mkdtempSync(join(tmpdir(), 'itw-sbx-'));
    chmodSync(parent, 0o777);
    dataDir = join(parent, 'data');
    h = await openHarness(SQLITE, { dataDir, config: { sandboxPaths: [parent] } });
    const adminKeyFile = await bootstrapAdminKey(h.app.repos, dataDir);
    expect(adminKeyFile).toBe(join(dataDir, 'admin-api-key'));
    secrets = [readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim(), readFileSync(adminKeyFile!, 'utf8').trim()];
  });
  afterAll(async () => {
    await h.close();
    rmSync(parent, { recursive: true, force: true });
  });

  function expectNothingReached(report: string): void {
    const lines = report.split('\n');
    expect(lines.filter((l) => l.startsWith('read '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('denied ')).length).toBe(5);
    expect(lines).toContain('no-server');
    expect(lines).not.toContain('lists-data-dir');
    expect(lines.find((l) => l.startsWith('uid='))).not.toBe('uid=0');
    // PID 1 is the sandbox's own init: whatever it holds is the step's own environment, never the server's.
    const pid1 = lines.find((l) => l.startsWith('pid1-environ=')) ?? '';
    expect(pid1).not.toMatch(/VITEST|ITW_|NODE_OPTIONS/);
    for (const s of secrets) expect(report).not.toContain(s);
  }

  it('a script node reads none of the server\'s environment, keys or database, and is not root', async () => {
    const r = await h.run(wf([n('probe', 'script', { code: JS_PROBE(dataDir, process.pid) })], []));
    expect(r.execution.status).toBe('completed');
    expectNothingReached(String(r.node('probe').output));
  });

  it('run_script (bash) reads none of them either', async () => {
    const r = await h.run(wf([n('probe', 'action', { action_type: 'run_script', language: 'bash', code: SHELL_PROBE, args: [dataDir, String(process.pid)] })], []));
    expect(r.execution.status).toBe('completed');
    expectNothingReached((r.node('probe').output as { stdout: string }).stdout);
  });

  it('a local execute_command reads none of them either', async () => {
    const r = await h.run(wf([n('probe', 'action', { action_type: 'execute_command', command: ['sh', '-c', SHELL_PROBE, 'sh', dataDir, String(process.pid)] })], []));
    expect(r.execution.status).toBe('completed');
    expectNothingReached((r.node('probe').output as { stdout: string }).stdout);
  });

  it('a setsid grandchild does not outlive its step', async () => {
    const marker = `${300 + Math.random()}`;
    // Double fork into a new session, wait until the daemon runs, then end the step.
    const code = `(setsid sh -c 'echo $$ > /tmp/daemon; exec sleep ${marker}' &)\nwhile [ ! -s /tmp/daemon ]; do :; done\necho started`;
    const r = await h.run(wf([n('spawn', 'action', { action_type: 'run_script', language: 'bash', code })], []));
    expect((r.node('spawn').output as { stdout: string }).stdout.trim()).toBe('started');
    expect(processesRunning(`sleep ${marker}`)).toEqual([]);
  });

  it('query_database on the server\'s own SQLite file is refused, directly or through a symlink, and audited', async () => {
    const insert = "insert into api_keys (id, name, role) values ('k1', 'backdoor', 'admin')";
    const link = join(parent, 'innocent.sqlite');
    symlinkSync(join(dataDir, 'itw.sqlite'), link);
    for (const url of [`sqlite:${dataDir}/itw.sqlite`, `sqlite:${parent}/data/../data/itw.sqlite`, `sqlite:${link}`]) {
      const r = await h.run(wf([n('q', 'action', { action_type: 'query_database', database_url: url, sql: insert })], []));
      expect(r.execution.status).toBe('failed');
      expect(r.node('q').error).toMatchObject({ code: 'database_target_denied' });
    }
    expect((await h.app.repos.apiKeys.count())).toBe(1);
    const audit = new AuditLog(h.app.store.db, () => h.app.store.settleEffects());
    await vi.waitFor(async () => {
      const entries = await audit.list({ limit: 50 });
      expect(entries.filter((e) => e.action === 'sandbox.refused' && e.details?.['code'] === 'database_target_denied').length).toBeGreaterThanOrEqual(3);
    });
  });

  it('backup_database cannot copy the server\'s database out, nor write into the data dir', async () => {
    const steal = await h.run(wf([n('b', 'action', { action_type: 'backup_database', database_url: `sqlite:${dataDir}/itw.sqlite`, destination_dir: join(parent, 'loot') })], []));
    expect(steal.node('b').error).toMatchObject({ code: 'database_target_denied' });
    const plant = await h.run(wf([n('b', 'action', { action_type: 'backup_database', database_url: `sqlite:${join(parent, 'shop.db')}`, destination_dir: dataDir })], []));
    expect(plant.node('b').error).toMatchObject({ code: 'database_target_denied' });
  });

  it('keeps the data dir 0700 and its key and database files 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const f of ['encryption.key', 'admin-api-key', 'itw.sqlite']) expect(statSync(join(dataDir, f)).mode & 0o777).toBe(0o600);
  });

  it('the server drops its secrets from process.env once the config is read', () => {
    const saved = { ...process.env };
    try {
      process.env['ITW_ENCRYPTION_KEY'] = 'a'.repeat(64);
      process.env['ITW_APPROVAL_LINK_SECRET'] = 'b'.repeat(40);
      process.env['ITW_DATABASE_URL'] = 'postgres://itw:hunter2@127.0.0.1/itw';
      const config = loadConfig();
      expect(config.encryptionKey).toBe('a'.repeat(64));
      expect(config.databaseUrl).toContain('hunter2');
      expect(process.env['ITW_ENCRYPTION_KEY']).toBeUndefined();
      expect(process.env['ITW_APPROVAL_LINK_SECRET']).toBeUndefined();
      expect(process.env['ITW_DATABASE_URL']).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });
});
