import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness, SQLITE } from '../support/harness.js';
import { e, n, transform, wf } from '../support/graphs.js';
import { httpFixture, json } from '../support/http-fixture.js';

describe('script node', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    // The egress guard is on (loopback allowed for the fixtures), so a script that asks for network
    // gets the host network only where the site says so (ITW_SCRIPT_NETWORK=host, docs/SECURITY.md).
    h = await openHarness(SQLITE, { config: { scriptNetwork: 'host' } });
    server = await httpFixture((_req, res) => json(res, 200, { reached: true }));
  });
  afterAll(async () => { await h.close(); await server.close(); });

  it('runs JavaScript out of process: $input in, the returned value out, console output kept as a log', async () => {
    const r = await h.run(wf(
      [n('t', 'trigger'), n('js', 'script', { code: 'console.log("hosts:", $input.hosts.length);\nconst up = $input.hosts.filter((h) => h.up).map((h) => h.name);\nreturn { up, pid: process.pid, team: $vars.team, has_braces: "{{ not a template }}" };' })],
      [e('t', 'js')],
      { variables: [{ name: 'team', type: 'string', default: 'sre' }] },
    ), { hosts: [{ name: 'a', up: true }, { name: 'b', up: false }] });
    expect(r.execution.status).toBe('completed');
    const out = r.node('js').output as { up: string[]; pid: number; team: string; has_braces: string };
    expect(out.up).toEqual(['a']);
    expect(out.team).toBe('sre');
    expect(out.has_braces).toBe('{{ not a template }}');
    expect(out.pid).not.toBe(process.pid);
    const logs = await h.app.store.engine.listLogs(r.execution.id);
    expect(logs.map((l) => l.message)).toContain('hosts: 2');
  });

  it('sees no environment of the server', async () => {
    process.env['ITW_TEST_SECRET_ENV'] = 'should-not-leak';
    const r = await h.run(wf([n('js', 'script', { code: 'return Object.keys(process.env).sort();' })], []));
    expect(r.node('js').output).not.toContain('ITW_TEST_SECRET_ENV');
    expect(JSON.stringify(r.node('js').output)).not.toContain('should-not-leak');
  });

  it('has no network unless allow_network is set', async () => {
    const code = `try { const r = await fetch('${server.url}/'); return { status: r.status }; } catch (e) { return { error: String(e.cause?.code ?? e.message) }; }`;
    const closed = await h.run(wf([n('js', 'script', { code })], []));
    expect(closed.node('js').output).toMatchObject({ error: expect.stringMatching(/ENETUNREACH|ECONNREFUSED|EAI_AGAIN|fetch failed/) });
    expect(server.requests).toHaveLength(0);
    const open = await h.run(wf([n('js', 'script', { code, allow_network: true })], []));
    expect(open.node('js').output).toEqual({ status: 200 });
  });

  it('an endless loop is killed at its timeout; unbounded allocation hits the memory limit; the server keeps serving', async () => {
    const loop = await h.run(wf([n('js', 'script', { code: 'for (;;) {}', timeout_seconds: 1 }), transform('after', '1')], [e('js', 'after')]));
    expect(loop.execution.status).toBe('failed');
    expect(loop.node('js').error).toMatchObject({ code: 'timeout' });
    const hog = await h.run(wf([n('js', 'script', { code: 'const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random()));', max_memory_mb: 64, timeout_seconds: 30 })], []));
    expect(hog.execution.status).toBe('failed');
    expect(hog.node('js').error).toMatchObject({ code: 'memory_limit_exceeded' });
    const fine = await h.run(wf([n('js', 'script', { code: 'return 1 + 1;' })], []));
    expect(fine.node('js').output).toBe(2);
  });

  it('a thrown error fails the node with the script\'s message', async () => {
    const r = await h.run(wf([n('js', 'script', { code: 'throw new Error("disk not mounted");' })], []));
    expect(r.node('js').error).toMatchObject({ code: 'script_failed' });
    expect(r.node('js').error!.message).toContain('disk not mounted');
  });
});
