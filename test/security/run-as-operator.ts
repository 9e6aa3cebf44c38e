import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { untilStatus, type ApiServer, type Reply } from '../api/api-server.js';

/** An editor saves and activates `def`; an operator runs it with `body`; the final execution as the API shows it. */
export async function runAsOperator(s: ApiServer, def: object, body: object = {}): Promise<Reply> {
  const wf = await s.call('POST', '/automation/workflows', { as: 'editor', body: def });
  if (wf.status !== 201) throw new Error(`workflow not created: ${wf.text}`);
  await s.call('POST', `/automation/workflows/${wf.body.id}/activate`, { as: 'editor' });
  const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body });
  if (run.status !== 202) throw new Error(`execution not started: ${run.text}`);
  return untilStatus(s, String(run.body.id));
}

/** The error of node `id` in an execution reply. */
export function nodeError(exec: Reply, id: string): { code: string; message: string } | null {
  const runs = (exec.body.nodes as Array<{ node_id: string; error: { code: string; message: string } | null }>).filter((n) => n.node_id === id);
  return runs.at(-1)?.error ?? null;
}

/** A TCP listener that only counts connections: proof that a refused step never connected. */
export async function connectionCounter(host = '127.0.0.1'): Promise<{ port: number; readonly connections: number; close(): Promise<void> }> {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The audit entries an admin reads. */
interface AuditItem { action: string; resource_type: string; resource_id: string | null; details: Record<string, unknown> | null }

export async function auditEntries(s: ApiServer): Promise<AuditItem[]> {
  const r = await s.call('GET', '/automation/admin/audit?limit=200');
  return (r.body as { items: AuditItem[] }).items;
}
