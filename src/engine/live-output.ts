import type { Redactor } from './redactor.js';

export type OutputStream = 'stdout' | 'stderr';

/** Where a step that runs a process writes what the process prints, as it prints it. */
export interface StepOutput {
  write(stream: OutputStream, chunk: Uint8Array | string): void;
}

/** One line of a running step's output, as the execution's event stream carries it (`node.output`). */
export interface OutputLine {
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly node_id: string;
  readonly node_run_id: string;
  readonly scope: string;
  readonly attempt: number;
  readonly stream: OutputStream;
  readonly line: string;
  /** 1, 2, 3… per step run, across both streams: the order the lines were written in. */
  readonly sequence: number;
}

export type OutputListener = (line: OutputLine) => void;

export interface LiveOutputLimits {
  /** Bytes of output a step may stream live; the rest is only in the stored log. @default 262144 */
  readonly maxBytes?: number;
  /** Characters of one line; a longer one is cut (the full text is in the stored log). @default 4096 */
  readonly maxLineChars?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024;
const DEFAULT_MAX_LINE = 4096;

/**
 * Turns a step's output chunks into redacted lines, numbered, bounded per step: a process printing a
 * gigabyte costs at most one line buffer per stream and `maxBytes` of events, then one notice that
 * the live view stopped. Lines are redacted whole (a secret never straddles two events), and a cut
 * line also loses a trailing partial secret (Redactor.redactCut).
 */
export class LiveOutput implements StepOutput {
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  /** A stream's current line ran over maxLineChars: what follows up to its newline is dropped. */
  private readonly skipping: Record<OutputStream, boolean> = { stdout: false, stderr: false };
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private sent = 0;
  private sequence = 0;
  private stopped = false;
  private readonly maxBytes: number;
  private readonly maxLine: number;

  constructor(
    private readonly where: Omit<OutputLine, 'stream' | 'line' | 'sequence'>,
    private readonly redactor: Redactor,
    private readonly emit: OutputListener,
    limits: LiveOutputLimits = {},
    /** Called once when the step ended (end()). */
    private readonly ended: () => void = () => undefined,
  ) {
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxLine = limits.maxLineChars ?? DEFAULT_MAX_LINE;
  }

  write(stream: OutputStream, chunk: Uint8Array | string): void {
    if (this.stopped) return;
    let text = this.partial[stream] + (typeof chunk === 'string' ? chunk : this.decoders[stream].decode(chunk, { stream: true }));
    let nl: number;
    while (!this.stopped && (nl = text.indexOf('\n')) >= 0) {
      const line = text.slice(0, nl).replace(/\r$/, '');
      text = text.slice(nl + 1);
      if (this.skipping[stream]) this.skipping[stream] = false;
      else this.line(stream, line);
    }
    if (this.stopped) return;
    if (text.length > this.maxLine) {
      if (!this.skipping[stream]) this.line(stream, text);
      this.skipping[stream] = true;
      text = '';
    }
    this.partial[stream] = text;
  }

  /** The step ended: an unterminated last line is sent too. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].decode();
      this.partial[stream] = '';
      if (rest !== '' && !this.skipping[stream] && !this.stopped) this.line(stream, rest);
    }
    this.stopped = true;
    this.ended();
  }

  private line(stream: OutputStream, raw: string): void {
    const text = raw.length > this.maxLine ? `${this.redactor.redactCut(raw.slice(0, this.maxLine))}…[line cut]` : this.redactor.redactText(raw);
    this.sent += Buffer.byteLength(text) + 1;
    if (this.sent > this.maxBytes) {
      this.stopped = true;
      this.send('stderr', `…[live output stopped after ${this.maxBytes} bytes; the step's stored output keeps its start and end]`);
      return;
    }
    this.send(stream, text);
  }

  private send(stream: OutputStream, line: string): void {
    this.sequence++;
    this.emit({ ...this.where, stream, line, sequence: this.sequence });
  }
}

/** Lines kept per running step for streams opened mid-step. */
const TAIL_LINES = 200;
const MAX_RUNS = 2000;

/**
 * The last lines of every step running in this process, so a view opened while a step runs starts
 * with what it printed so far (bounded: TAIL_LINES per step); a step's lines go when it ends.
 */
export class OutputTails {
  private readonly runs = new Map<string, OutputLine[]>();

  add(line: OutputLine): void {
    let lines = this.runs.get(line.node_run_id);
    if (!lines) {
      lines = [];
      this.runs.set(line.node_run_id, lines);
      // Relayed steps (another process ran them) never report their end here: keep the newest runs.
      if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    }
    lines.push(line);
    if (lines.length > TAIL_LINES * 2) lines.splice(0, lines.length - TAIL_LINES);
  }

  drop(runId: string): void {
    this.runs.delete(runId);
  }

  of(executionId: string): OutputLine[] {
    const out: OutputLine[] = [];
    for (const lines of this.runs.values()) {
      if (lines[0]?.execution_id === executionId) out.push(...lines.slice(-TAIL_LINES));
    }
    return out;
  }
}
