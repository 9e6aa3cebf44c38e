// Test support for the built-in templates: load one from templates/, run it with variables, and fake
// SaaS endpoints that check the wire formats (Slack chat.postMessage, Twilio Messages) and record calls.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseDefinitionText } from '../../src/model/parse-definition.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import type { Harness, RunResult } from '../support/harness.js';
import { httpFixture, json, type Recorded } from '../support/http-fixture.js';

export const SLACK_TOKEN = 'xoxb-template-test-token';
export const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_TOKEN = 'twilio-template-test-token';
export const API_TOKEN = 'api-template-test-token';
export const STATUSPAGE_KEY = 'statuspage-template-test-key';

/** A template file as the server loads it: parsed, its own `id` kept out of the definition. */
export function loadTemplate(file: string): WorkflowDefinition & { id?: string } {
  const text = readFileSync(fileURLToPath(new URL(`../../templates/${file}`, import.meta.url)), 'utf8');
  const parsed = parseDefinitionText(text, file);
  if (!parsed.ok) throw new Error(`${file}: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.value as WorkflowDefinition & { id?: string };
}

/** Deploys the template and runs it to the end with the given input and variables (fake clock through waits). */
export async function runTemplate(h: Harness, def: WorkflowDefinition, input: unknown, variables: Record<string, unknown>): Promise<RunResult> {
  const id = await startTemplate(h, def, input, variables);
  return h.settle(id);
}

export async function startTemplate(h: Harness, def: WorkflowDefinition, input: unknown, variables: Record<string, unknown>): Promise<string> {
  const version = await h.deploy(def);
  const ex = await h.app.engine.startExecution({ version, input, variables });
  return ex.id;
}

export interface SaasCall {
  readonly service: 'slack' | 'twilio' | 'statuspage' | 'api';
  readonly path: string;
  readonly auth: string | undefined;
  readonly body: Record<string, unknown>;
}

function slack(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${SLACK_TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
  const body = JSON.parse(req.body) as { channel?: string; text?: string };
  if (!body.channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
  if (!body.text) return json(res, 200, { ok: false, error: 'no_text' });
  json(res, 200, { ok: true, channel: 'C0INCIDENTS', ts: `1700000000.${String(Date.now()).slice(-6)}` });
}

function twilio(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`) return json(res, 401, { code: 20003, message: 'Authenticate' });
  const form = new URLSearchParams(req.body);
  if (!/^\+[1-9]\d{1,14}$/.test(form.get('To') ?? '') || !form.get('Body') || !form.get('From')) return json(res, 400, { code: 21211, message: 'invalid message' });
  json(res, 201, { sid: `SM${'0'.repeat(31)}${req.url.length % 10}`, status: 'queued', to: form.get('To') });
}

/** Statuspage REST v1 incident create: `Authorization: OAuth <key>`, `{incident: {...}}` → 201. */
function statuspage(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `OAuth ${STATUSPAGE_KEY}`) return json(res, 401, { error: 'Could not authenticate' });
  const incident = (JSON.parse(req.body) as { incident?: { name?: string; status?: string } }).incident;
  if (req.method !== 'POST' || !incident?.name) return json(res, 422, { error: ["Name can't be blank"] });
  json(res, 201, { id: 'p31zjtct2jer', name: incident.name, status: incident.status ?? 'investigating', shortlink: 'http://stspg.io/p31zjtct2jer' });
}

/**
 * One loopback server standing in for Slack, Twilio, Statuspage and the site's own HTTP APIs. `api` answers the
 * other paths: by default 200 with `{ok: true}` when the bearer token is right, 401 otherwise.
 */
export async function fakeSaas(api: (req: Recorded, res: ServerResponse) => void = defaultApi) {
  const calls: SaasCall[] = [];
  const server = await httpFixture((req, res) => {
    const path = req.url.split('?')[0]!;
    const service = path === '/api/chat.postMessage' ? 'slack' : path.startsWith('/2010-04-01/') ? 'twilio' : path.startsWith('/v1/pages/') ? 'statuspage' : 'api';
    const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
    const body = (req.body === '' ? {} : form ? Object.fromEntries(new URLSearchParams(req.body)) : JSON.parse(req.body)) as Record<string, unknown>;
    calls.push({ service, path, auth: req.headers.authorization, body });
    if (service === 'slack') slack(req, res);
    else if (service === 'twilio') twilio(req, res);
    else if (service === 'statuspage') statuspage(req, res);
    else api(req, res);
  });
  return {
    url: server.url,
    calls,
    of: (service: SaasCall['service']) => calls.filter((c) => c.service === service),
    close: () => server.close(),
  };
}

function defaultApi(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${API_TOKEN}`) return json(res, 401, { error: 'unauthorized' });
  json(res, 200, { ok: true });
}

/** Credentials of the fakes, stored in the harness's vault under the given names. */
export async function fakeCredentials(h: Harness, saasUrl: string, names: { slack?: string; twilio?: string; api?: string; statuspage?: string }): Promise<void> {
  if (names.slack) await h.app.vault.create({ name: names.slack, type: 'slack', data: { bot_token: SLACK_TOKEN, base_url: saasUrl } });
  if (names.twilio) await h.app.vault.create({ name: names.twilio, type: 'twilio', data: { account_sid: TWILIO_SID, auth_token: TWILIO_TOKEN, from: '+15005550006', base_url: saasUrl } });
  if (names.statuspage) await h.app.vault.create({ name: names.statuspage, type: 'statuspage', data: { api_key: STATUSPAGE_KEY, base_url: saasUrl } });
  if (names.api) await h.app.vault.create({ name: names.api, type: 'http_bearer', data: { token: API_TOKEN }, allowed_hosts: [new URL(saasUrl).host] });
}

/** The run ended as a user wants to see it: completed, without an error (failures caught by error paths allowed). */
export function expectCompleted(r: RunResult): void {
  const failed = r.runs.filter((run) => run.status === 'failed').map((run) => `${run.node_id}: ${run.error?.message ?? ''}`);
  expect(r.execution.error, `failed steps: ${failed.join('; ')}`).toBeNull();
  expect(r.execution.status).toBe('completed');
}

/**
 * The template with one node's config changed, as a user edits a node after installing it: commands
 * and SQL are code, written in their nodes, never passed in as variables.
 */
export function withNodeConfig<T extends WorkflowDefinition>(def: T, nodeId: string, patch: Record<string, unknown>): T {
  if (!def.nodes.some((n) => n.id === nodeId)) throw new Error(`no node ${nodeId}`);
  return { ...def, nodes: def.nodes.map((n) => (n.id === nodeId ? { ...n, config: { ...n.config, ...patch } } : n)) };
}
