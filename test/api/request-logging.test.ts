import { describe, expect, it } from 'vitest';
import { prettyLine, prettyStream } from '../../src/api/observability/pretty-log-stream.js';
import { DIALECTS } from '../support/harness.js';
import { startApiServer } from './api-server.js';

const dialect = DIALECTS[0]!;

async function logOf(config: Record<string, unknown>): Promise<string[]> {
  const lines: string[] = [];
  const s = await startApiServer(dialect, { config: { logLevel: 'info', ...config }, server: { logStream: { write: (l: string) => void lines.push(l) } } });
  try {
    for (let i = 0; i < 5; i++) expect((await s.call('GET', '/automation/workflows')).status).toBe(200);
    expect((await s.call('GET', '/automation/workflows/wf_nope')).status).toBe(404);
  } finally {
    await s.close();
  }
  return lines;
}

describe('server log', () => {
  it('has no line per request by default at info', async () => {
    const lines = await logOf({});
    expect(lines.filter((l) => l.includes('request completed') || l.includes('incoming request'))).toEqual([]);
  });

  it('logs requests when ITW_LOG_REQUESTS is on', async () => {
    const lines = await logOf({ logRequests: true });
    const completed = lines.filter((l) => l.includes('request completed')).map((l) => JSON.parse(l) as { reqId?: string; res?: { statusCode?: number } });
    expect(completed.length).toBeGreaterThanOrEqual(6);
    // Each line names its request: the per-request child logger carries the request id.
    expect(new Set(completed.map((l) => l.reqId)).size).toBe(completed.length);
    expect(completed.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true);
  });

  it('reads as one line per event on a terminal, secrets already redacted upstream', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 1, hostname: 'h', msg: 'template skipped: bad', file: 'a b.yaml', path: '/nodes/0' });
    expect(prettyLine(line)).toBe('03:04:05 WARN  template skipped: bad  file="a b.yaml" path=/nodes/0\n');
    expect(prettyLine('not json')).toBe('not json');
    const out: string[] = [];
    prettyStream({ write: (s: string) => out.push(s) }).write(`${JSON.stringify({ level: 30, time: 0, msg: 'listening' })}\n`);
    expect(out).toEqual(['00:00:00 INFO  listening\n']);
  });
});
