import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

describe('data dir lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itw-lock-'));
  afterEach(() => rmSync(join(dir, 'engine.lock'), { force: true }));

  it('refuses a second holder while the first process lives, naming its pid', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    await new Promise((r) => child.once('spawn', r));
    writeFileSync(join(dir, 'engine.lock'), String(child.pid));
    try {
      expect(() => lockDataDir(dir)).toThrow(`pid ${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone, and releases it', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => child.once('exit', r));
    writeFileSync(join(dir, 'engine.lock'), String(child.pid));
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, 'engine.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(() => readFileSync(join(dir, 'engine.lock'))).toThrow();
  });
});
