/** Display helpers shared by the pages. */

export function formatTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined) return '—';
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** How an execution started: the mode, and the trigger type only when it says more ("manual", not "manual · manual"). */
export function formatMode(mode: string, triggerType: string | null | undefined): string {
  return triggerType && triggerType !== mode ? `${mode} · ${triggerType}` : mode;
}

/**
 * The end of a workflow id, shown beside its name so two workflows of the same name can be told
 * apart (ids end in random characters; their start is a timestamp shared by neighbours).
 */
export function shortId(id: string): string {
  return id.length > 8 ? `…${id.slice(-6)}` : id;
}
