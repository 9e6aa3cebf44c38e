import { describe, expect, it } from 'vitest';
import type { OutputLine } from '../engine/live-output.js';
import { linesOf, payloads } from './output-relay.js';

const line = (sequence: number, text: string): OutputLine => ({
  execution_id: 'exec_1', workflow_id: 'wf_1', node_id: 'build', node_run_id: 'nexec_1', scope: '', attempt: 1, stream: 'stdout', line: text, sequence,
});

describe('live output relay notices', () => {
  it('cuts lines into notices PostgreSQL accepts (under 8000 bytes), in order, a huge line shortened', () => {
    const lines = [...Array.from({ length: 300 }, (_, i) => line(i + 1, `line ${i + 1} ${'x'.repeat(60)}`)), line(301, 'y'.repeat(20_000))];
    const notices = payloads('engine_a', lines);
    expect(notices.length).toBeGreaterThan(2);
    for (const n of notices) expect(Buffer.byteLength(n)).toBeLessThan(8000);
    const back = notices.flatMap((n) => linesOf(n, 'engine_b'));
    expect(back.map((l) => l.sequence)).toEqual(lines.map((l) => l.sequence));
    expect(back.at(-1)!.line).toMatch(/^y{1000}…\[line cut\]$/);
  });

  it('ignores its own notices and malformed ones', () => {
    const [n] = payloads('engine_a', [line(1, 'hi')]);
    expect(linesOf(n!, 'engine_a')).toEqual([]);
    expect(linesOf('{"o":"x","l":"nope"}', 'engine_b')).toEqual([]);
    expect(linesOf('not json', 'engine_b')).toEqual([]);
  });
});
