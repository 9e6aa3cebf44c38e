import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runProcess } from './run-process.js';

/** Alive and not a zombie waiting for a reaper (containers may not reap orphans). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'itw-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runProcess', () => {
  it('runs argv without a shell, with the given cwd and stdin', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'pwd; cat; printf "%s" "$1"', 'sh', '$HOME; rm -rf x'], cwd: dir, stdin: 'from stdin\n', timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 0, signal: null, timedOut: false, truncated: false });
    expect(r.stdout).toBe(`${realpathSync(dir)}\nfrom stdin\n$HOME; rm -rf x`);
  });

  it('runs a shell string only when asked', async () => {
    const r = await runProcess({ argv: ['echo a && echo b >&2; exit 3'], shell: true, timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'a\n', stderr: 'b\n' });
    await expect(runProcess({ argv: ['echo a && echo b'], timeoutMs: 5000 })).rejects.toMatchObject({ code: 'command_not_found' });
  });

  it('passes only the given environment plus PATH', async () => {
    process.env['ITW_SECRET_TEST'] = 'server-secret';
    try {
      const r = await runProcess({ argv: ['env'], env: { GREETING: 'hi' }, timeoutMs: 5000 });
      const names = r.stdout.trim().split('\n').map((l) => l.split('=')[0]).filter((n) => n !== 'PWD' && n !== 'SHLVL' && n !== '_');
      expect(names.sort()).toEqual(['GREETING', 'PATH']);
      expect(r.stdout).not.toContain('server-secret');
    } finally {
      delete process.env['ITW_SECRET_TEST'];
    }
  });

  it('kills the whole process tree at the timeout', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'sleep 30 & echo $!; wait'], timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGTERM');
    // kill() returns before the signalled process has exited: on a busy machine it goes a moment later.
    await vi.waitFor(() => expect(isAlive(Number(r.stdout.trim()))).toBe(false), { timeout: 2000 });
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'trap "" TERM; echo ready; while :; do :; done'], timeoutMs: 200, killGraceMs: 200 });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGKILL', stdout: 'ready\n' });
  });

  it('kills the tree when the signal aborts', async () => {
    const ac = new AbortController();
    const running = runProcess({ argv: ['sleep', '30'], timeoutMs: 10_000, signal: ac.signal });
    ac.abort();
    expect(await running).toMatchObject({ aborted: true, timedOut: false, signal: 'SIGTERM' });
  });

  it('kills what the process left running in its group when it exits', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], timeoutMs: 5000 });
    expect(r.exitCode).toBe(0);
    // Its output is not our pipe, so nothing waits for it to die: the kernel gets a moment to deliver SIGKILL.
    await vi.waitFor(() => expect(isAlive(Number(r.stdout.trim()))).toBe(false), { timeout: 2000 });
  });

  it('keeps the head and tail of a large output', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'echo START; yes | head -c 1000000; echo END'], timeoutMs: 5000, maxOutputBytes: 1024 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.startsWith('START\n')).toBe(true);
    expect(r.stdout.endsWith('END\n')).toBe(true);
    expect(r.stdout).toMatch(/…\[\d+ bytes omitted\]…/);
    expect(r.stdout.length).toBeLessThan(1100);
  });

  it('applies a CPU-seconds limit', async () => {
    const r = await runProcess({ argv: ['sh', '-c', 'while :; do :; done'], timeoutMs: 10_000, limits: { cpuSeconds: 1 } });
    expect(r.timedOut).toBe(false);
    expect(r.signal).toBe('SIGXCPU');
  });
});
