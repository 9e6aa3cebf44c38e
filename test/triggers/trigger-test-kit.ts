import { expect } from 'vitest';
import type { Config } from '../../src/config/config.js';
import type { Dialect } from '../support/harness.js';
import { startApiServer, type ApiServer } from '../api/api-server.js';

/** A real server whose trigger sources restart fast and whose SMTP listener takes a free port. */
export function startTriggerServer(dialect: Dialect, config: Partial<Config> = {}): Promise<ApiServer> {
  return startApiServer(dialect, { config: { triggerRetryInitialMs: 100, triggerRetryMaxMs: 500, triggerResyncMs: 0, smtpTriggerPort: 0, ...config } });
}

/** trigger(config) → transform echoing the trigger's input: the execution output shows what fired. */
export function echoWorkflow(name: string, trigger: Record<string, unknown>, expression = '$trigger') {
  return {
    name,
    nodes: [
      { id: 'in', node_type: 'trigger', config: trigger },
      { id: 'echo', node_type: 'transform', config: { expression } },
    ],
    edges: [{ source_node_id: 'in', target_node_id: 'echo' }],
  };
}

/** Creates and activates a workflow; returns its id. */
export async function deployActive(s: ApiServer, def: object): Promise<string> {
  const wf = await s.call('POST', '/automation/workflows', { body: def });
  expect(wf.status).toBe(201);
  const act = await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
  expect(act.status, act.text).toBe(200);
  return String(wf.body.id);
}

export interface ExecutionRow {
  readonly id: string;
  readonly status: string;
  readonly mode: string;
  readonly trigger_type: string | null;
  readonly input_data: unknown;
  readonly output: unknown;
  readonly idempotency_key: string | null;
}

export async function executionsOf(s: ApiServer, workflowId: string): Promise<ExecutionRow[]> {
  const r = await s.call('GET', `/automation/workflows/${workflowId}/executions?limit=200`);
  expect(r.status).toBe(200);
  return r.body.items as ExecutionRow[];
}

/** Polls until the workflow has `n` executions, all final; then checks it stays at n a little longer. */
export async function untilExecutions(s: ApiServer, workflowId: string, n: number, timeoutMs = 10_000): Promise<ExecutionRow[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const items = await executionsOf(s, workflowId);
    if (items.length >= n && items.every((e) => ['completed', 'failed', 'cancelled'].includes(e.status))) {
      const full = await Promise.all(items.map(async (e) => (await s.call('GET', `/automation/executions/${e.id}`)).body as ExecutionRow));
      return full;
    }
    if (Date.now() > until) throw new Error(`workflow ${workflowId} has ${items.length} executions, expected ${n}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function triggersOf(s: ApiServer, workflowId: string): Promise<Array<Record<string, unknown> & { id: string; status: string; fire_count: number; last_error: string | null }>> {
  const r = await s.call('GET', `/automation/workflows/${workflowId}/triggers`);
  expect(r.status).toBe(200);
  return r.body.items as Array<Record<string, unknown> & { id: string; status: string; fire_count: number; last_error: string | null }>;
}

/** Polls the trigger list until `pred` holds for the workflow's first trigger. */
export async function untilTrigger(s: ApiServer, workflowId: string, pred: (t: { status: string; fire_count: number; last_error: string | null }) => boolean, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [t] = await triggersOf(s, workflowId);
    if (t && pred(t)) return t;
    if (Date.now() > until) throw new Error(`trigger never matched: ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
