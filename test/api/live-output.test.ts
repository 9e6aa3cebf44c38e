import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPath } from '../support/sandbox-path.js';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, untilStatus, type ApiServer } from './api-server.js';
import { openEvents, type SseMessage } from './sse-client.js';

const SECRET = 'live-Output-Secret-9f3a71';

/** trigger → approval (the test subscribes, then approves) → execute_command that prints on both streams over time. */
function commandWorkflow(name: string, script: string, cwd?: string) {
  return {
    name,
    variables: [{ name: 'token', type: 'string', secret: true, default: SECRET }],
    nodes: [
      { id: 'start', node_type: 'trigger', config: {} },
      { id: 'wait', node_type: 'approval', config: { message: 'go?', approvers: [], timeout_seconds: 3600 } },
      { id: 'run', node_type: 'action', config: { action_type: 'execute_command', shell: true, command: script, env: { TOKEN: '{{ $vars.token }}' }, timeout_seconds: 60, ...(cwd ? { cwd } : {}) } },
    ],
    edges: [
      { source_node_id: 'start', target_node_id: 'wait' },
      { source_node_id: 'wait', source_handle: 'approved', target_node_id: 'run' },
    ],
  };
}

const outputs = (messages: readonly SseMessage[]) => messages.filter((m) => m.event === 'node.output').map((m) => m.data as { stream: string; line: string; sequence: number; node_id: string });

describe.each(DIALECTS)('live output of running steps over SSE ($name)', (dialect) => {
  let s: ApiServer;
  // A directory the sandboxed command shares with the test (ITW_SANDBOX_PATHS).
  const shared = sandboxPath('itw-live-');
  beforeAll(async () => {
    s = await startApiServer(dialect, { server: { heartbeatMs: 50 }, config: { sandboxPaths: [shared] } });
  });
  afterAll(async () => s.close());

  /** `gate`: once the stream shows `line`, `file` is written (the command waits for it). */
  async function runWatched(def: object, gate?: { line: string; file: string }) {
    const wf = await s.call('POST', '/automation/workflows', { body: def });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
    const started = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { body: { input_data: {} } });
    const id = String(started.body.id);
    await untilStatus(s, id, (st) => st === 'waiting');
    const stream = await openEvents(`${s.url}/automation/executions/${id}/events`, { authorization: `Bearer ${s.keys.viewer}` });
    expect(stream.status).toBe(200);
    await stream.until((m) => m.event === 'snapshot');
    const approvals = await s.call('GET', `/automation/approvals?execution_id=${id}`, { as: 'operator' });
    const answer = await s.call('POST', `/automation/approvals/${approvals.body.items[0].run_id}/approve`, { as: 'operator', body: {} });
    expect(answer.status).toBe(200);
    if (gate) {
      await stream.until((m) => m.event === 'node.output' && m.data.line === gate.line);
      // A view opened mid-step starts with what the step printed so far.
      const late = await openEvents(`${s.url}/automation/executions/${id}/events`, { authorization: `Bearer ${s.keys.viewer}` });
      const seen = await late.until((m) => m.event === 'node.output' && m.data.line === gate.line);
      expect(seen.data.sequence).toBe(1);
      await late.stop();
      writeFileSync(gate.file, '');
    }
    await stream.ended;
    return { id, messages: stream.messages };
  }

  it('a viewer sees stdout and stderr lines in order while the step runs (a view opened mid-step too), secrets redacted, and the full log after', async () => {
    // The command waits for a file the test writes once the stream showed its first line: it ends only if lines arrive live.
    const gate = join(shared, `gate-${dialect.name}`);
    const script = `echo "starting"; echo "token=$TOKEN" >&2; while [ ! -e ${gate} ]; do sleep 0.05; done; printf "done without newline"`;
    const { id, messages } = await runWatched(commandWorkflow('Chatty', script, shared), { line: 'starting', file: gate });
    const lines = outputs(messages);
    expect(lines.map((l) => [l.stream, l.line])).toEqual([['stdout', 'starting'], ['stderr', 'token=[redacted]'], ['stdout', 'done without newline']]);
    expect(lines.map((l) => l.sequence)).toEqual([1, 2, 3]);
    expect(lines.every((l) => l.node_id === 'run')).toBe(true);
    // Lines arrive while the step runs: before the event that says it completed.
    const firstLine = messages.findIndex((m) => m.event === 'node.output');
    const completed = messages.findIndex((m) => m.event === 'node' && m.data.node_id === 'run' && m.data.status === 'completed');
    expect(firstLine).toBeGreaterThan(0);
    expect(completed).toBeGreaterThan(firstLine);
    expect(JSON.stringify(messages)).not.toContain(SECRET);
    const detail = await untilStatus(s, id);
    const run = (detail.body.nodes as Array<{ node_id: string; output: { stdout: string; stderr: string } }>).find((n) => n.node_id === 'run')!;
    expect(run.output.stdout).toBe('starting\ndone without newline');
    expect(run.output.stderr).toBe('token=[redacted]\n');
  });

  it('a hostile step printing tens of megabytes streams a bounded amount, then a notice; the step still completes', async () => {
    const { id, messages } = await runWatched(commandWorkflow('Flood', 'head -c 30000000 /dev/zero | tr "\\\\0" "y" | fold -w 80'));
    const lines = outputs(messages);
    const bytes = lines.reduce((n, l) => n + l.line.length + 1, 0);
    expect(bytes).toBeLessThan(300 * 1024);
    expect(lines.at(-1)).toMatchObject({ stream: 'stderr', line: expect.stringMatching(/live output stopped/) });
    const detail = await untilStatus(s, id);
    expect(detail.body.status).toBe('completed');
    const run = (detail.body.nodes as Array<{ node_id: string; output: { truncated: boolean } }>).find((n) => n.node_id === 'run')!;
    expect(run.output.truncated).toBe(true);
  });

  it('anonymous callers cannot open the stream', async () => {
    const res = await fetch(`${s.url}/automation/executions/exec_anything/events`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    await res.body?.cancel();
  });
});
