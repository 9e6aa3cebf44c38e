import type { DestinationStream } from 'pino';

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, shown in the line's head or not at all. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

function show(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v !== null && typeof v === 'object' && 'message' in v && 'type' in v) return JSON.stringify((v as { message: unknown }).message);
  return JSON.stringify(v);
}

/** One pino JSON line as `12:04:05 WARN  message key=value ...`; anything else passes through unchanged. */
export function prettyLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (o === null || typeof o !== 'object' || typeof o['level'] !== 'number') return line;
  const time = typeof o['time'] === 'number' ? new Date(o['time']).toISOString().slice(11, 19) : '';
  const level = LEVELS[o['level']] ?? String(o['level']);
  const fields = Object.entries(o).filter(([k]) => !HIDDEN.has(k)).map(([k, v]) => `${k}=${show(v)}`);
  const err = o['err'] as { stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' && o['level'] >= 50 ? `\n${err.stack}` : '';
  return `${time} ${level} ${typeof o['msg'] === 'string' ? o['msg'] : ''}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/**
 * Readable log lines for a person at a terminal. It formats after the redacting stream, so it only
 * ever sees lines whose secrets are already replaced; pipes and files keep pino's JSON.
 */
export function prettyStream(to: { write(s: string): unknown } = process.stdout): DestinationStream {
  return { write: (line: string) => void to.write(prettyLine(line.endsWith('\n') ? line.slice(0, -1) : line)) };
}
