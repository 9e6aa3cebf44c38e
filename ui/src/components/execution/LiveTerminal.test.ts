import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { NodeRun, OutputLine } from '../../api/types';
import { LiveTerminal } from './LiveTerminal';
import { appendLine, terminalRun, type TerminalLines } from './terminal-lines';

function run(over: Partial<NodeRun> = {}): NodeRun {
  return {
    id: 'nexec_1', execution_id: 'exec_1', node_id: 'build', scope: '', attempt: 1, status: 'running', input: {}, output: null, error: null,
    started_at: '2026-12-05T10:00:00.000Z', finished_at: null, duration_ms: null, wake_at: null, child_execution_id: null, reused_from: null, logs: [], ...over,
  };
}

function line(sequence: number, text: string, stream: 'stdout' | 'stderr' = 'stdout', runId = 'nexec_1'): OutputLine {
  return { execution_id: 'exec_1', node_id: 'build', node_run_id: runId, scope: '', attempt: 1, stream, line: text, sequence };
}

const render = (r: NodeRun, lines: readonly OutputLine[]) => renderToStaticMarkup(createElement(LiveTerminal, { run: r, lines }));

describe('LiveTerminal (execution view)', () => {
  it('shows a running step\'s lines as a live log, stderr marked, markup in output escaped', () => {
    const html = render(run(), [line(1, 'compiling'), line(2, 'warning: <b>deprecated</b>', 'stderr')]);
    expect(html).toContain('● live');
    expect(html).toContain('role="log"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('compiling\n');
    expect(html).toContain('<span class="terminal-stderr">warning: &lt;b&gt;deprecated&lt;/b&gt;\n</span>');
    expect(html).not.toContain('<b>');
  });

  it('says it waits while a running step printed nothing yet', () => {
    expect(render(run(), [])).toContain('Waiting for output…');
  });

  it('after the step, shows the full stored log instead of the (bounded) live lines', () => {
    const done = run({ status: 'completed', output: { stdout: 'line 1\nline 2\n', stderr: 'oops\n', exit_code: 0 } });
    const html = render(done, [line(1, 'line 1')]);
    expect(html).toContain('full log');
    expect(html).toContain('line 1\nline 2\n<span class="terminal-stderr">oops\n</span>');
    expect(html).toContain('aria-live="off"');
  });
});

describe('terminal lines', () => {
  it('keeps lines per run in sequence order, once, and drops the oldest past the cap', () => {
    let all: TerminalLines = new Map();
    for (const l of [line(1, 'a'), line(3, 'c'), line(2, 'b'), line(3, 'c'), line(1, 'x', 'stdout', 'nexec_2')]) all = appendLine(all, l);
    expect(all.get('nexec_1')!.map((l) => l.line)).toEqual(['a', 'b', 'c']);
    expect(all.get('nexec_2')!.map((l) => l.line)).toEqual(['x']);
    for (let i = 4; i < 20; i++) all = appendLine(all, line(i, `l${i}`), 5);
    expect(all.get('nexec_1')!.map((l) => l.sequence)).toEqual([15, 16, 17, 18, 19]);
  });

  it('shows the running step with output, else the selected node\'s latest attempt', () => {
    const a = run({ id: 'nexec_a', node_id: 'a', status: 'completed', output: { stdout: 'hi' }, started_at: '2026-12-05T10:00:00.000Z' });
    const b = run({ id: 'nexec_b', node_id: 'b', status: 'running', started_at: '2026-12-05T10:00:01.000Z' });
    const lines: TerminalLines = new Map([['nexec_b', [line(1, 'go', 'stdout', 'nexec_b')]]]);
    expect(terminalRun([a, b], lines, undefined)?.id).toBe('nexec_b');
    expect(terminalRun([a, b], lines, 'a')?.id).toBe('nexec_a');
    expect(terminalRun([a], new Map(), 'zzz')).toBeUndefined();
  });
});
