import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { auditEntries, nodeError, runAsOperator } from './run-as-operator.js';

// Issue 16c: the Docker socket is root on the host. Only sockets the operator lists in
// ITW_DOCKER_SOCKETS are dialled; activation names the setting; a templated path cannot widen it.
describe('docker steps reach only the sockets ITW_DOCKER_SOCKETS lists', () => {
  let s: ApiServer;
  let dir: string;
  let allowed: string;
  let other: string;
  const servers: Server[] = [];
  const hits: Record<string, string[]> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itw-docker-app-'));
    allowed = join(dir, 'docker.sock');
    other = join(dir, 'rootless.sock');
    for (const path of [allowed, other]) {
      hits[path] = [];
      const server = createServer((req, res) => {
        hits[path]!.push(`${req.method} ${req.url}`);
        res.writeHead(204).end();
      });
      await new Promise<void>((r) => server.listen(path, r));
      servers.push(server);
    }
    s = await startApiServer(SQLITE, { config: { dockerSockets: [allowed] } });
  });
  afterAll(async () => {
    await s.close();
    for (const server of servers) await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const restart = (socketPath: string) => ({
    name: `Restart on ${socketPath}`,
    variables: [{ name: 'sock', type: 'string', default: allowed }],
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'restart', node_type: 'action', config: { action_type: 'docker_restart', container: 'web', socket_path: socketPath } },
    ],
    edges: [{ source_node_id: 'start', target_node_id: 'restart' }],
  });

  it('an operator restarts a container through the listed socket', async () => {
    const exec = await runAsOperator(s, restart(allowed));
    expect(exec.body.status, exec.text).toBe('completed');
    expect(hits[allowed]).toEqual(['POST /v1.43/containers/web/restart?t=10']);
  });

  it('activation refuses a socket not listed, naming the setting', async () => {
    const wf = await s.call('POST', '/automation/workflows', { as: 'editor', body: restart(other) });
    const act = await s.call('POST', `/automation/workflows/${wf.body.id}/activate`, { as: 'editor' });
    expect(act.status).toBe(422);
    expect(act.body.errors).toEqual([expect.objectContaining({ code: 'docker_socket_not_allowed', setting: 'ITW_DOCKER_SOCKETS', path: '/nodes/1/config/socket_path' })]);
  });

  it('a path an operator passes at run time is refused, audited, and never dialled', async () => {
    const exec = await runAsOperator(s, restart('{{ $vars.sock }}'), { variables: { sock: other } });
    expect(exec.body.status).toBe('failed');
    expect(nodeError(exec, 'restart')).toMatchObject({ code: 'docker_socket_denied' });
    expect(hits[other]).toEqual([]);
    expect((await auditEntries(s)).filter((e) => e.action === 'egress.denied').map((e) => e.details)).toContainEqual(expect.objectContaining({ host: `unix:${other}`, protocol: 'docker' }));
  });

  it('a viewer cannot start one', async () => {
    const wf = await s.call('POST', '/automation/workflows', { as: 'editor', body: restart(allowed) });
    await s.call('POST', `/automation/workflows/${wf.body.id}/activate`, { as: 'editor' });
    expect((await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'viewer', body: {} })).status).toBe(403);
  });
});
