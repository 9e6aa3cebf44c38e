import { useCallback, useEffect, useRef, useState } from 'react';
import { executions } from '../../api/endpoints';
import { followExecution } from '../../api/sse';
import type { Execution, NodeRun } from '../../api/types';
import { mergeRuns } from '../../canvas/run-state';

export interface FollowedRun {
  readonly execution: Execution;
  readonly runs: ReadonlyMap<string, NodeRun>;
  readonly live: boolean;
}

/**
 * Follows an execution live over SSE: the snapshot, then each node and execution change as the
 * engine commits it. When the stream ends, the full record (with logs) is read once more.
 */
export function useExecutionFollow(): { run: FollowedRun | undefined; follow: (x: Execution) => void; clear: () => void } {
  const [run, setRun] = useState<FollowedRun>();
  const stopRef = useRef<(() => void) | undefined>(undefined);

  const clear = useCallback(() => {
    stopRef.current?.();
    stopRef.current = undefined;
    setRun(undefined);
  }, []);

  const follow = useCallback((x: Execution) => {
    stopRef.current?.();
    setRun({ execution: x, runs: new Map(), live: true });
    stopRef.current = followExecution(x.id, {
      snapshot: (s) => setRun({ execution: s.execution, runs: new Map(s.nodes.map((r) => [r.id, r])), live: true }),
      node: (r) => setRun((prev) => (prev ? { ...prev, runs: mergeRuns(prev.runs, r) } : prev)),
      execution: (e) => setRun((prev) => (prev ? { ...prev, execution: e } : prev)),
      end: () => {
        void executions.get(x.id).then(
          (d) => setRun({ execution: d, runs: new Map(d.nodes.map((r) => [r.id, r])), live: false }),
          () => setRun((prev) => (prev ? { ...prev, live: false } : prev)),
        );
      },
    });
  }, []);

  useEffect(() => () => stopRef.current?.(), []);
  return { run, follow, clear };
}
