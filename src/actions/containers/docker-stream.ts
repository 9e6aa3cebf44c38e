import { NonRetryableError } from '../../model/errors.js';

/**
 * The Docker Engine's log stream for containers without a TTY (application/vnd.docker.multiplexed-stream):
 * frames of an 8-byte header — stream type (0 stdin, 1 stdout, 2 stderr), three zero bytes, payload
 * size as a big-endian uint32 — then the payload. A TTY container's log is the raw bytes instead.
 * https://docs.docker.com/reference/api/engine/version/v1.43/#tag/Container/operation/ContainerAttach
 */
export type DockerStream = 'stdout' | 'stderr';

export interface LogChunk {
  readonly stream: DockerStream;
  readonly text: string;
}

const STREAMS: Readonly<Record<number, DockerStream>> = { 0: 'stdout', 1: 'stdout', 2: 'stderr' };
const HEADER_BYTES = 8;

/** Splits a multiplexed body into its frames; a frame cut short (the byte cap) keeps what arrived. */
export function demultiplex(body: Buffer): LogChunk[] {
  const chunks: LogChunk[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= body.length) {
    const stream = STREAMS[body[at]!];
    if (stream === undefined || body[at + 1] !== 0 || body[at + 2] !== 0 || body[at + 3] !== 0) {
      throw new NonRetryableError('invalid_response', `Docker Engine log is not a multiplexed stream: bad frame header at byte ${at}`);
    }
    const size = body.readUInt32BE(at + 4);
    const end = Math.min(at + HEADER_BYTES + size, body.length);
    chunks.push({ stream, text: body.subarray(at + HEADER_BYTES, end).toString('utf8') });
    at = end;
  }
  return chunks;
}

export interface LogLine {
  readonly stream: DockerStream;
  readonly text: string;
  readonly timestamp?: string;
}

/** Lines of the chunks (a line may span frames of one stream), the RFC 3339 timestamp split off when asked for. */
export function logLines(chunks: readonly LogChunk[], timestamps: boolean): LogLine[] {
  const lines: LogLine[] = [];
  const partial: Record<DockerStream, string> = { stdout: '', stderr: '' };
  const push = (stream: DockerStream, raw: string) => {
    const m = timestamps ? /^(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)) (.*)$/s.exec(raw) : null;
    lines.push(m ? { stream, text: m[2]!, timestamp: m[1]! } : { stream, text: raw });
  };
  for (const c of chunks) {
    const parts = (partial[c.stream] + c.text).split('\n');
    partial[c.stream] = parts.pop()!;
    for (const p of parts) push(c.stream, p.replace(/\r$/, ''));
  }
  for (const stream of ['stdout', 'stderr'] as const) if (partial[stream] !== '') push(stream, partial[stream]);
  return lines;
}
