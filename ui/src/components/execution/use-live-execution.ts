import { useCallback, useEffect, useMemo, useState } from 'react';
import { executions } from '../../api/endpoints';
import { followExecution } from '../../api/sse';
import type { Execution, ExecutionDetail, NodeRun } from '../../api/types';
import { appendLine, type TerminalLines } from './terminal-lines';

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export interface LiveExecution {
  readonly execution: Execution | undefined;
  readonly runs: readonly NodeRun[];
  /** Lines running steps' processes wrote, by node run id (node.output events). */
  readonly output: TerminalLines;
  readonly error: unknown;
  readonly reload: () => void;
}

/** An execution with its node attempts, kept live over SSE until it is final, then read once more (with logs). */
export function useLiveExecution(id: string): LiveExecution {
  const [detail, setDetail] = useState<{ execution: Execution; runs: Map<string, NodeRun> }>();
  const [error, setError] = useState<unknown>();
  const [output, setOutput] = useState<TerminalLines>(() => new Map());
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    let stop: (() => void) | undefined;
    const apply = (d: ExecutionDetail) => live && setDetail({ execution: d, runs: new Map(d.nodes.map((r) => [r.id, r])) });
    executions.get(id).then((d) => {
      apply(d);
      if (!live || FINAL.has(d.status)) return;
      stop = followExecution(id, {
        node: (r) => setDetail((p) => (p ? { ...p, runs: new Map(p.runs).set(r.id, { ...p.runs.get(r.id), ...r }) } : p)),
        execution: (x) => setDetail((p) => (p ? { ...p, execution: x } : p)),
        output: (line) => setOutput((o) => appendLine(o, line)),
        end: () => void executions.get(id).then(apply, () => undefined),
      });
    }, (err: unknown) => live && setError(err));
    return () => {
      live = false;
      stop?.();
    };
  }, [id, tick]);

  const runs = useMemo(() => (detail ? [...detail.runs.values()] : []), [detail]);
  return { execution: detail?.execution, runs, output, error, reload };
}
