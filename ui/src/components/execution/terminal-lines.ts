import type { NodeRun, OutputLine } from '../../api/types';

/** Lines kept per step run in the browser; the server already bounds what it sends (256 KiB per step). */
export const MAX_TERMINAL_LINES = 5000;

export type TerminalLines = ReadonlyMap<string, readonly OutputLine[]>;

/** Adds a line to its run's terminal, in sequence order, once (a reconnect may resend), dropping the oldest past the cap. */
export function appendLine(all: TerminalLines, line: OutputLine, max = MAX_TERMINAL_LINES): TerminalLines {
  const lines = all.get(line.node_run_id) ?? [];
  const last = lines.at(-1);
  let next: OutputLine[];
  if (last === undefined || last.sequence < line.sequence) next = [...lines, line];
  else if (lines.some((l) => l.sequence === line.sequence)) return all;
  else next = [...lines, line].sort((a, b) => a.sequence - b.sequence);
  if (next.length > max) next = next.slice(next.length - max);
  return new Map(all).set(line.node_run_id, next);
}

/** What a finished step stored: its stdout and stderr (script and command actions), as terminal text. */
export function storedLog(run: NodeRun): { stdout: string; stderr: string } | undefined {
  const out = run.output as { stdout?: unknown; stderr?: unknown } | null | undefined;
  if (!out || typeof out !== 'object') return undefined;
  const stdout = typeof out.stdout === 'string' ? out.stdout : '';
  const stderr = typeof out.stderr === 'string' ? out.stderr : '';
  return stdout === '' && stderr === '' ? undefined : { stdout, stderr };
}

/** The run a terminal shows: the selected node's latest attempt, else the step running now (or last) with output. */
export function terminalRun(runs: readonly NodeRun[], lines: TerminalLines, selected: string | undefined): NodeRun | undefined {
  const candidates = selected ? runs.filter((r) => r.node_id === selected) : runs.filter((r) => lines.has(r.id) || storedLog(r));
  const sorted = [...candidates].sort((a, b) => (a.started_at ?? '').localeCompare(b.started_at ?? '') || a.id.localeCompare(b.id));
  return sorted.find((r) => r.status === 'running' && lines.has(r.id)) ?? sorted.at(-1);
}
