import { describe, expect, it } from 'vitest';
import { LiveOutput, OutputTails, type OutputLine } from './live-output.js';
import { REDACTED, Redactor } from './redactor.js';

const WHERE = { execution_id: 'exec_1', workflow_id: 'wf_1', node_id: 'run', node_run_id: 'nexec_1', scope: '', attempt: 1 };

function collect(redactor = new Redactor(), limits = {}) {
  const lines: OutputLine[] = [];
  const out = new LiveOutput(WHERE, redactor, (l) => lines.push(l), limits);
  return { out, lines, text: () => lines.map((l) => `${l.stream}:${l.line}`) };
}

describe('LiveOutput', () => {
  it('turns chunks into numbered lines per stream, joining lines split across chunks', () => {
    const { out, lines, text } = collect();
    out.write('stdout', Buffer.from('hel'));
    out.write('stderr', 'warn 1\n');
    out.write('stdout', Buffer.from('lo\r\nworld\nunterminated'));
    out.end();
    expect(text()).toEqual(['stderr:warn 1', 'stdout:hello', 'stdout:world', 'stdout:unterminated']);
    expect(lines.map((l) => l.sequence)).toEqual([1, 2, 3, 4]);
    expect(lines[0]).toMatchObject(WHERE);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const { out, text } = collect();
    const bytes = Buffer.from('température €\n');
    out.write('stdout', bytes.subarray(0, 13));
    out.write('stdout', bytes.subarray(13));
    expect(text()).toEqual(['stdout:température €']);
  });

  it('redacts secrets, a PEM key printed line by line, and a secret cut at the end of an over-long line', () => {
    const r = new Redactor();
    r.add('hunter2-Secret-value');
    const pemBody = 'MIIEowIBAAKCAQEAuR4nd0mBase64Material';
    r.add(`-----BEGIN RSA PRIVATE KEY-----\n${pemBody}\n-----END RSA PRIVATE KEY-----`);
    const { out, text } = collect(r, { maxLineChars: 40 });
    out.write('stdout', 'token=hunter2-Secret-value\n');
    out.write('stdout', `${pemBody}\n`);
    out.write('stdout', `${'x'.repeat(30)}hunter2-Secret-value and more\n`);
    out.write('stdout', 'after\n');
    const all = text().join('\n');
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain(pemBody);
    expect(text()).toEqual([`stdout:token=${REDACTED}`, `stdout:${REDACTED}`, `stdout:${'x'.repeat(30)}${REDACTED}…[line cut]`, 'stdout:after']);
  });

  it('a hostile flood without newlines or with many lines stays bounded, then says the live view stopped', () => {
    const { out, lines } = collect(new Redactor(), { maxBytes: 10_000, maxLineChars: 100 });
    const chunk = Buffer.alloc(64 * 1024, 'y');
    for (let i = 0; i < 2000; i++) out.write('stdout', chunk); // 128 MiB without one newline
    out.write('stdout', '\nok\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.line).toBe(`${'y'.repeat(100)}…[line cut]`);
    const flood = Buffer.from('line of output\n'.repeat(5000));
    for (let i = 0; i < 100; i++) out.write('stdout', flood);
    out.end();
    const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l.line) + 1, 0);
    expect(bytes).toBeLessThan(10_000 + 200);
    expect(lines.at(-1)).toMatchObject({ stream: 'stderr', line: expect.stringMatching(/live output stopped after 10000 bytes/) });
  });
});

describe('OutputTails', () => {
  it('keeps the last 200 lines of each running step, per execution, until the step ends', () => {
    const tails = new OutputTails();
    const out = new LiveOutput(WHERE, new Redactor(), (l) => tails.add(l), {}, () => tails.drop(WHERE.node_run_id));
    for (let i = 1; i <= 1000; i++) out.write('stdout', `line ${i}\n`);
    tails.add({ ...WHERE, execution_id: 'exec_2', node_run_id: 'nexec_9', stream: 'stdout', line: 'other', sequence: 1 });
    const mine = tails.of('exec_1');
    expect(mine).toHaveLength(200);
    expect(mine[0]!.line).toBe('line 801');
    expect(mine.at(-1)!.sequence).toBe(1000);
    out.end();
    expect(tails.of('exec_1')).toEqual([]);
    expect(tails.of('exec_2').map((l) => l.line)).toEqual(['other']);
  });
});
