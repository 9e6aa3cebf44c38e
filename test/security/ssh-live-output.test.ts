// Issue 15 part 3: execute_command over SSH streams its output lines as the remote command writes
// them, through the same redaction as stored output. Runs against a real sshd on loopback.
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommandAction } from '../../src/actions/infrastructure/execute-command-action.js';
import { LiveOutput, type OutputLine } from '../../src/engine/live-output.js';
import { REDACTED, Redactor } from '../../src/engine/redactor.js';
import type { CredentialResolver } from '../../src/model/credentials.js';
import { startSshd, type Sshd } from '../support/sshd.js';
import { testServices } from '../support/loopback-egress.js';

const SECRET = 'ssh-Live-Secret-5c1e77';

let sshd: Sshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(() => sshd?.close());

describe('live output of a command over SSH', () => {
  it('lines of both streams arrive while the remote command runs, numbered, with secrets redacted', async () => {
    const data = { host: '127.0.0.1', port: String(sshd.port), username: userInfo().username, private_key: sshd.clientKey, passphrase: 'key-pass', host_key_fingerprint: sshd.hostFingerprint };
    const credentials: CredentialResolver = { get: (id) => Promise.resolve({ id, type: 'ssh_key', data }) };
    const redactor = new Redactor();
    redactor.add(SECRET);
    // The remote command waits for a file the test writes only once it has seen the first line:
    // without live output this would never finish.
    const gate = join(tmpdir(), `itw-ssh-gate-${process.pid}-${Date.now()}`);
    const lines: OutputLine[] = [];
    const output = new LiveOutput({ execution_id: 'exec_1', workflow_id: 'wf_1', node_id: 'remote', node_run_id: 'nexec_1', scope: '', attempt: 1 }, redactor, (l) => {
      lines.push(l);
      if (l.line.startsWith('starting')) writeFileSync(gate, '');
    });
    const result = await executeCommandAction.run({
      params: {
        command: 'echo "starting on $(hostname)"; echo "token $TOKEN" >&2; while [ ! -e "$GATE" ]; do sleep 0.05; done; echo finished',
        shell: true, env: { TOKEN: SECRET, GATE: gate }, ssh_credential_id: 'prod-host', timeout_seconds: 60,
      },
      log: { log: () => undefined },
      output,
      signal: new AbortController().signal,
      idempotencyKey: 'e:n:0:1',
      credentials,
      services: testServices(),
    });
    rmSync(gate, { force: true });
    output.end();
    expect(result).toMatchObject({ exit_code: 0 });
    expect(lines.map((l) => [l.stream, l.line.replace(/on \S+$/, 'on HOST')])).toEqual([['stdout', 'starting on HOST'], ['stderr', `token ${REDACTED}`], ['stdout', 'finished']]);
    expect(lines.map((l) => l.sequence)).toEqual([1, 2, 3]);
    expect(JSON.stringify(lines)).not.toContain(SECRET);
  });
});
