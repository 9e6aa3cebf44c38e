/**
 * Calls `stop` once the deadline passes or the signal aborts, and remembers which happened: the
 * outcome (timeout vs. cancellation) is reported differently. `clear()` when the work ends.
 */
export interface StopWatch {
  readonly timedOut: boolean;
  readonly aborted: boolean;
  clear(): void;
}

export function watchStop(timeoutMs: number, signal: AbortSignal | undefined, stop: () => void): StopWatch {
  const state = { timedOut: false, aborted: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    stop();
  }, timeoutMs);
  const onAbort = () => {
    state.aborted = true;
    stop();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    get timedOut() {
      return state.timedOut;
    },
    get aborted() {
      return state.aborted;
    },
    clear() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
