import { useEffect, useRef } from 'react';
import type { NodeRun, OutputLine } from '../../api/types';
import { storedLog } from './terminal-lines';

export interface LiveTerminalProps {
  readonly run: NodeRun;
  /** Lines streamed while it ran (may be empty when the page opened after it ended). */
  readonly lines: readonly OutputLine[];
}

/**
 * A step's terminal: while it runs, the lines its process writes (stderr marked), following the end;
 * once it ended, the full log the step stored (the live view stops at its per-step bound).
 */
export function LiveTerminal({ run, lines }: LiveTerminalProps) {
  const ref = useRef<HTMLPreElement>(null);
  const running = run.status === 'running';
  const stored = running ? undefined : storedLog(run);
  useEffect(() => {
    const el = ref.current;
    if (el && running) el.scrollTop = el.scrollHeight;
  }, [lines.length, running]);
  const label = `Console of ${run.node_id}${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`;
  return (
    <div className="terminal-pane">
      <div className="terminal-head">
        <strong>{label}</strong>
        <span className={`terminal-state ${running ? 'terminal-live' : ''}`}>{running ? '● live' : stored ? 'full log' : 'ended'}</span>
      </div>
      <pre ref={ref} className="terminal" role="log" aria-label={label} aria-live={running ? 'polite' : 'off'}>
        {stored ? (
          <>
            {stored.stdout}
            {stored.stderr ? <span className="terminal-stderr">{stored.stdout && !stored.stdout.endsWith('\n') ? '\n' : ''}{stored.stderr}</span> : null}
          </>
        ) : lines.length > 0 ? (
          lines.map((l) => <span key={l.sequence} className={l.stream === 'stderr' ? 'terminal-stderr' : undefined}>{l.line}{'\n'}</span>)
        ) : (
          <span className="terminal-empty">{running ? 'Waiting for output…' : 'No output.'}</span>
        )}
      </pre>
    </div>
  );
}
