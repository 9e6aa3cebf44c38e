import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noCredentials } from '../../model/credentials.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { runScriptAction } from './run-script-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof runScriptAction.run>[0]['params'];
/** Without `targets`: one run's result, not a fleet outcome. */
type OneRun = Extract<Awaited<ReturnType<typeof runScriptAction.run>>, { truncated: boolean }>;
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: noCredentials, services: testServices() });

const one = async (params: Params) => (await runScriptAction.run(ctx(params))) as OneRun;

describe('run_script', () => {
  it('runs python with input on stdin and parses the last stdout line as the result', async () => {
    const code = 'import json, sys\nd = json.load(sys.stdin)\nprint("working")\nprint(json.dumps({"sum": sum(d["n"]), "arg": sys.argv[1]}))';
    const out = await one({ language: 'python', code, input: { n: [1, 2, 3] }, args: ['x'] });
    expect(out).toMatchObject({ exit_code: 0, result: { sum: 6, arg: 'x' }, truncated: false });
    expect(out.stdout).toBe('working\n{"sum": 6, "arg": "x"}\n');
  });

  it('runs node as ESM and bash, with no result when the last line is not JSON', async () => {
    const node = await one({ language: 'node', code: 'import os from "node:os";\nconsole.log(JSON.stringify([typeof os.cpus, await Promise.resolve(2)]));' });
    expect(node.result).toEqual(['function', 2]);
    const bash = await one({ language: 'bash', code: 'echo "hello $1"', args: ['world'] });
    expect(bash.stdout).toBe('hello world\n');
    expect(bash).not.toHaveProperty('result');
  });

  it('runs in a fresh temp dir that is removed afterwards, without the server environment', async () => {
    process.env['ITW_SECRET_TEST'] = 'do-not-leak';
    try {
      const out = await one({ language: 'bash', code: 'pwd; echo "home=$HOME"; env | sort', env: { MINE: '1' } });
      const [cwd, home] = out.stdout.split('\n');
      expect(home).toBe(`home=${cwd}`);
      expect(existsSync(cwd!)).toBe(false);
      expect(out.stdout).not.toContain('do-not-leak');
      expect(out.stdout).not.toContain('ITW_SECRET_TEST');
      expect(out.stdout).toContain('MINE=1');
    } finally {
      delete process.env['ITW_SECRET_TEST'];
    }
  });

  it('kills an infinite loop at the timeout', async () => {
    const run = runScriptAction.run(ctx({ language: 'python', code: 'while True:\n    pass', timeout_seconds: 1 }));
    await expect(run).rejects.toBeInstanceOf(RetryableError);
    await expect(run).rejects.toMatchObject({ code: 'timeout' });
  });

  it('stops a python script that allocates without bound at the memory limit', async () => {
    const run = runScriptAction.run(ctx({ language: 'python', code: 'a = []\nwhile True:\n    a.append(bytearray(10**7))', max_memory_mb: 64 }));
    await expect(run).rejects.toBeInstanceOf(NonRetryableError);
    await expect(run).rejects.toMatchObject({ code: 'memory_limit_exceeded', message: expect.stringContaining('64 MB') });
  });

  it('stops a node script that allocates without bound at the memory limit', async () => {
    const run = runScriptAction.run(ctx({ language: 'node', code: 'const a = [];\nfor (;;) a.push(new Array(1e5).fill(Math.random()));', max_memory_mb: 64 }));
    await expect(run).rejects.toMatchObject({ code: 'memory_limit_exceeded', retryable: false });
  });

  it('truncates output beyond the cap, keeping its start and end', async () => {
    const out = await one({ language: 'bash', code: 'echo first; yes | head -c 100000; echo; echo \'{"done":true}\'', max_output_kb: 4 });
    expect(out.truncated).toBe(true);
    expect(out.stdout.length).toBeLessThan(4200);
    expect(out.stdout.startsWith('first\n')).toBe(true);
    expect(out.result).toEqual({ done: true });
  });

  it('fails with script_failed and the stderr tail on a non-zero exit', async () => {
    const run = runScriptAction.run(ctx({ language: 'python', code: 'raise ValueError("bad input")' }));
    await expect(run).rejects.toMatchObject({ code: 'script_failed', details: { exit_code: 1, stderr_tail: expect.stringContaining('ValueError: bad input') } });
  });
});
