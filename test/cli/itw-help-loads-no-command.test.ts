import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `itw --help`, `--version` and a mistyped command answer without loading any command's module:
 * what a user notices is that they answer at once (0.08 s instead of 0.9 s from dist); what this
 * checks is the cause, through which packages the process loaded, so it fails the day main.ts
 * imports a command eagerly again. `itw validate` is the control: it does load what it needs.
 */
const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const PROBE = fileURLToPath(new URL('../support/loaded-at-exit.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-help-'));
const EXAMPLE = fileURLToPath(new URL('../../examples/disk-alert.yaml', import.meta.url));
/** What the commands load: the server, the store, the expression language. */
const HEAVY = ['fastify', 'better-sqlite3', 'kysely', 'jsonata'];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadedBy(args: string[]): Promise<{ stdout: string; code: number; loaded: string[] }> {
  const file = join(dir, `${args.join('_').replace(/\W/g, '')}.txt`);
  let stdout = '';
  let code = 0;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', PROBE, ITW, ...args], {
      env: { ...process.env, ITW_TEST_LOADED_FILE: file },
    }));
  } catch (err) {
    const e = err as { stdout?: string; code?: number };
    stdout = e.stdout ?? '';
    code = e.code ?? -1;
  }
  return { stdout, code, loaded: readFileSync(file, 'utf8').split('\n') };
}

describe('itw without a command to run', { timeout: 60_000 }, () => {
  it('prints the help, every command in it, without loading one', async () => {
    const r = await loadedBy(['--help']);
    expect(r.code).toBe(0);
    for (const usage of ['Usage: itw run FILE', 'Usage: itw serve', 'Usage: itw apikey create', 'Usage: itw user create', 'Usage: itw pull DIR']) {
      expect(r.stdout).toContain(usage);
    }
    expect(r.loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('prints the version and refuses an unknown command without loading one', async () => {
    const v = await loadedBy(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    const unknown = await loadedBy(['constructor']);
    expect(unknown.code).toBe(2);
    expect(unknown.loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('loads what a command needs when one runs', async () => {
    const r = await loadedBy(['validate', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
    expect(r.loaded).toEqual(expect.arrayContaining(['jsonata']));
  });
});
