import { sql, type Kysely } from 'kysely';
import type { OutputLine } from '../engine/live-output.js';
import type { Logger } from '../model/logger.js';

/** The notice channel live output lines travel on between the processes of a cluster. */
export const OUTPUT_CHANNEL = 'itw_output';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7000;
const FLUSH_MS = 100;

export interface OutputNotice {
  /** The process that sent it (it does not take its own notices back). */
  readonly o: string;
  readonly l: readonly OutputLine[];
}

/**
 * A worker's live output lines, sent to the API processes (which serve the event streams) as
 * `pg_notify` on OUTPUT_CHANNEL: batched every 100 ms and cut to the payload limit. Best effort, like
 * the lines themselves: a notice lost in an outage only leaves a gap in a live view.
 */
export class OutputRelay {
  private pending: OutputLine[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Kysely<never>, private readonly owner: string, private readonly logger: Logger) {}

  push(line: OutputLine): void {
    this.pending.push(line);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    for (const payload of payloads(this.owner, lines)) {
      try {
        await sql`SELECT pg_notify(${OUTPUT_CHANNEL}, ${payload})`.execute(this.db);
      } catch (err) {
        this.logger.warn({ err }, 'could not relay live output lines');
        return;
      }
    }
  }
}

/** Notices of at most MAX_PAYLOAD bytes; a single line over it is cut (it is a live view, the stored log is whole). */
export function payloads(owner: string, lines: readonly OutputLine[]): string[] {
  const out: string[] = [];
  let batch: OutputLine[] = [];
  let size = 40 + owner.length;
  for (const raw of lines) {
    let line = raw;
    let bytes = Buffer.byteLength(JSON.stringify(line)) + 1;
    if (bytes > MAX_PAYLOAD - 100 - owner.length) {
      line = { ...raw, line: `${raw.line.slice(0, 1000)}…[line cut]` };
      bytes = Buffer.byteLength(JSON.stringify(line)) + 1;
    }
    if (batch.length > 0 && size + bytes > MAX_PAYLOAD) {
      out.push(JSON.stringify({ o: owner, l: batch } satisfies OutputNotice));
      batch = [];
      size = 40 + owner.length;
    }
    batch.push(line);
    size += bytes;
  }
  if (batch.length > 0) out.push(JSON.stringify({ o: owner, l: batch } satisfies OutputNotice));
  return out;
}

/** The lines of a notice another process sent; nothing for our own or a malformed one. */
export function linesOf(payload: string, owner: string): OutputLine[] {
  try {
    const n = JSON.parse(payload) as { o?: unknown; l?: unknown };
    return n.o === owner || !Array.isArray(n.l) ? [] : (n.l as OutputLine[]);
  } catch {
    return [];
  }
}
