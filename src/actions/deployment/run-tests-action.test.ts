import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOver, sandboxPath } from '../../../test/support/sandbox-path.js';
import { noCredentials } from '../../model/credentials.js';
import { runTestsAction } from './run-tests-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof runTestsAction.run>[0]['params'];
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: noCredentials, services: testServices({ sandbox: sandboxOver(dir) }) });

const dir = sandboxPath('itw-tests-');
// A real test runner (node:test) writing a real JUnit report.
const nodeTest = (file: string, report: string) => [process.execPath, '--test', '--test-reporter=junit', `--test-reporter-destination=${report}`, file];

beforeAll(() => {
  writeFileSync(
    join(dir, 'math.test.mjs'),
    [
      "import test from 'node:test';",
      "import assert from 'node:assert/strict';",
      "test('adds', () => assert.equal(1 + 1, 2));",
      "test('multiplies', () => assert.equal(2 * 2, 5, 'two twos are not five'));",
      "test('later', { skip: 'not yet' }, () => {});",
    ].join('\n'),
  );
  writeFileSync(join(dir, 'ok.test.mjs'), "import test from 'node:test';\ntest('fine', () => {});\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run_tests', () => {
  it('summarises a failing run from its JUnit report', async () => {
    const out = await runTestsAction.run(ctx({ command: nodeTest('math.test.mjs', 'math-report.xml'), cwd: dir, junit_xml_path: '*-report.xml', timeout_seconds: 60 }));
    expect(out).toMatchObject({ passed: false, exit_code: 1, tests: 3, failures: 1, errors: 0, skipped: 1 });
    expect(out.failed_tests).toEqual([{ name: 'multiplies', classname: expect.any(String), message: expect.stringContaining('two twos are not five') }]);
  });

  it('passes a green run', async () => {
    const out = await runTestsAction.run(ctx({ command: nodeTest('ok.test.mjs', join(dir, 'ok.xml')), cwd: dir, junit_xml_path: join(dir, 'ok.xml') }));
    expect(out).toMatchObject({ passed: true, exit_code: 0, tests: 1, failures: 0, failed_tests: [] });
  });

  it('ignores a stale report and says no report was written', async () => {
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old', 'junit.xml'), '<testsuite><testcase name="x"/></testsuite>');
    utimesSync(join(dir, 'old', 'junit.xml'), new Date(0), new Date(0));
    await expect(runTestsAction.run(ctx({ command: ['true'], cwd: dir, junit_xml_path: 'old/*.xml' }))).rejects.toMatchObject({ code: 'junit_not_found' });
  });

  it('uses the exit code alone without a report, and counts nested suites and errors', async () => {
    expect(await runTestsAction.run(ctx({ command: ['false'], cwd: dir }))).toMatchObject({ passed: false, exit_code: 1, tests: 0 });
    const xml = `<?xml version="1.0"?><testsuites><testsuite name="outer"><testsuite name="inner">
      <testcase name="boom" classname="a.B"><error type="RuntimeError">stack &lt;here&gt;\nmore</error></testcase>
      <testcase name="ok" classname="a.B"/></testsuite></testsuite></testsuites>`;
    writeFileSync(join(dir, 'src.xml'), xml);
    const out = await runTestsAction.run(ctx({ command: ['cp', 'src.xml', 'nested.xml'], cwd: dir, junit_xml_path: 'nested.xml' }));
    expect(out).toMatchObject({ passed: false, exit_code: 0, tests: 2, errors: 1, failed_tests: [{ name: 'boom', classname: 'a.B', message: 'stack <here>' }] });
  });
});
