import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedDirectoryOn } from './node-visibility.js';

describe('closedDirectoryOn', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function runtime(mode: number): string {
    const root = mkdtempSync(join(tmpdir(), 'itw-node-vis-'));
    made.push(root);
    mkdirSync(join(root, 'runtime', 'bin'), { recursive: true });
    const node = join(root, 'runtime', 'bin', 'node');
    writeFileSync(node, '');
    chmodSync(root, mode);
    return node;
  }

  it('names the directory other users cannot enter (a 0700 temporary dir, /root/.nvm)', () => {
    const node = runtime(0o700);
    expect(closedDirectoryOn(node)).toBe(join(node, '..', '..', '..'));
  });

  it('is undefined when every directory on the way can be entered', () => {
    expect(closedDirectoryOn(runtime(0o755))).toBeUndefined();
    expect(closedDirectoryOn('/usr/bin/env')).toBeUndefined();
  });
});
