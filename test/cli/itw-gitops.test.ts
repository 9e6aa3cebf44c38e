import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';

/** Runs `itw ARGS` in-process against the test server, as a CI job would with ITW_URL and ITW_API_KEY. */
async function itw(s: ApiServer, key: string | undefined, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false,
    env: { ITW_URL: s.url, ...(key ? { ITW_API_KEY: key } : {}) },
    readSecret: () => Promise.resolve(''),
  };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const RESTART = {
  name: 'Restart web', description: 'Restarts the web tier', tags: ['ops', 'web'],
  variables: [{ name: 'token', type: 'string', secret: true, default: 'hunter2-very-secret' }, { name: 'service', type: 'string', default: 'nginx' }],
  viewport: { x: 120, y: -40, zoom: 0.8 },
  nodes: [
    { id: 'hook', node_type: 'trigger', position_x: 0, position_y: 0, config: { trigger_type: 'webhook', path: 'restart-web', auth: { mode: 'hmac', secret: 'webhook-hmac-secret-123' } } },
    { id: 'ask', node_type: 'approval', position_x: 200, position_y: 0, config: { message: 'Restart {{ $vars.service }}?', timeout_seconds: 600 } },
    { id: 'say', node_type: 'action', position_x: 400, position_y: 0, config: { action_type: 'log', message: 'restarting' } },
  ],
  edges: [{ source_node_id: 'hook', target_node_id: 'ask' }, { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'say' }],
};
const REPORT = { name: 'Nightly report', nodes: [{ id: 'sum', node_type: 'transform', config: { expression: '1 + 1' } }], edges: [] };

const NEW_FLOW = `name: New flow
nodes:
  - id: start
    node_type: trigger
    config: { trigger_type: manual }
  - id: out
    node_type: transform
    config: { expression: '$trigger.x' }
edges:
  - { source_node_id: start, target_node_id: out }
`;

describe.each(DIALECTS)('itw pull / diff / push ($name)', { timeout: 120_000 }, (dialect) => {
  let s: ApiServer;
  const root = mkdtempSync(join(tmpdir(), 'itw-gitops-'));
  let n = 0;
  const freshDir = () => join(root, `repo-${++n}`);

  beforeAll(async () => {
    s = await startApiServer(dialect);
    for (const body of [RESTART, REPORT]) expect((await s.call('POST', '/automation/workflows', { as: 'editor', body })).status).toBe(201);
  });
  afterAll(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  const workflows = async () => (await s.call('GET', '/automation/workflows?limit=500')).body.items as Array<{ id: string; name: string; status: string; active_version: number | null }>;

  it('pull → edit → diff → push round-trips without spurious changes', async () => {
    const dir = freshDir();
    const pulled = await itw(s, s.keys.viewer, 'pull', dir);
    expect(pulled.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['nightly-report.yaml', 'restart-web.yaml']);
    const text = readFileSync(join(dir, 'restart-web.yaml'), 'utf8');
    // Stable and diff-friendly: sorted keys, no canvas viewport, secrets as references only.
    expect(text.indexOf('description:')).toBeLessThan(text.indexOf('edges:'));
    expect(text.indexOf('edges:')).toBeLessThan(text.indexOf('name: Restart web'));
    expect(text).not.toContain('viewport');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('webhook-hmac-secret-123');
    expect(text).toMatch(/default: \$vault:sec_/);
    expect(text).toMatch(/secret: \$vault:sec_/);

    // Nothing changed: nothing to do, exit 0. A second pull writes the same bytes.
    const clean = await itw(s, s.keys.viewer, 'diff', dir);
    expect(clean.code, clean.out + clean.err).toBe(0);
    expect(clean.out).toContain('plan: 0 to create, 0 to update, 2 unchanged, 0 only on the server');
    expect((await itw(s, s.keys.viewer, 'pull', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'restart-web.yaml'), 'utf8')).toBe(text);

    // Edit one, add one (edges without ids), remove one.
    writeFileSync(join(dir, 'restart-web.yaml'), text.replace('Restart {{ $vars.service }}?', 'Restart {{ $vars.service }} now?'));
    writeFileSync(join(dir, 'new-flow.yaml'), NEW_FLOW);
    unlinkSync(join(dir, 'nightly-report.yaml'));
    const plan = await itw(s, s.keys.viewer, 'diff', dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('+ create     New flow');
    expect(plan.out).toMatch(/~ update {5}Restart web .*\n {6}\/nodes\/ask\/config\/message/);
    expect(plan.out).toContain('? only on the server  Nightly report');
    expect((await itw(s, s.keys.viewer, 'diff', dir, '--prune')).out).toContain('- delete     Nightly report');

    const push = await itw(s, s.keys.editor, 'push', dir, '--activate', '--prune');
    expect(push.code, push.err).toBe(0);
    expect(push.out).toMatch(/created New flow \(wf_\w+\) and activated as version 1/);
    expect(push.out).toMatch(/updated Restart web \(wf_\w+\) and activated as version 1/);
    expect(push.out).toContain('deleted Nightly report');
    const after = await workflows();
    expect(after.map((w) => w.name).sort()).toEqual(['New flow', 'Restart web']);
    expect(after.every((w) => w.status === 'active')).toBe(true);
    const restart = after.find((w) => w.name === 'Restart web')!;
    const draft = await s.call('GET', `/automation/workflows/${restart.id}`);
    const nodes = draft.body.nodes as Array<{ id: string; config: Record<string, unknown> }>;
    expect(nodes.find((x) => x.id === 'ask')?.config['message']).toBe('Restart {{ $vars.service }} now?');
    // The canvas viewport the UI keeps is the server's own; the secret references still resolve to the same sealed values.
    expect(draft.body.viewport).toEqual({ x: 120, y: -40, zoom: 0.8 });
    const exported = await s.call('GET', `/automation/workflows/${restart.id}/export`);
    expect(JSON.stringify(exported.body)).toContain(text.match(/default: (\$vault:sec_\S+)/)![1]!);

    // Round trip: the server now equals the directory.
    const again = await itw(s, s.keys.viewer, 'diff', dir);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('plan: 0 to create, 0 to update, 2 unchanged, 0 only on the server');
    // A push of an unchanged directory changes nothing (no new version).
    expect((await itw(s, s.keys.editor, 'push', dir, '--activate')).out).not.toMatch(/created|updated/);
    expect((await workflows()).find((w) => w.name === 'Restart web')!.active_version).toBe(1);
  });

  it('attacker: a secret in clear is refused before anything is sent, naming the file, line and field', async () => {
    const dir = freshDir();
    expect((await itw(s, s.keys.viewer, 'pull', dir)).code).toBe(0);
    writeFileSync(join(dir, 'leaky.yaml'), `name: Leaky
variables:
  - name: password
    type: string
    secret: true
    default: s3cr3t-in-git
nodes:
  - id: hook
    node_type: trigger
    config: { trigger_type: webhook, path: leaky, auth: { mode: header, token: plain-token-in-git } }
edges: []
`);
    const r = await itw(s, s.keys.editor, 'push', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/leaky\.yaml:6:\d+: \/variables\/0\/default: a secret written in clear .* \[secret_in_clear\]/);
    expect(r.err).toMatch(/leaky\.yaml:10:\d+: \/nodes\/0\/config\/auth\/token: .*\[secret_in_clear\]/);
    expect(r.err).toContain('nothing was sent');
    expect(r.err).not.toContain('s3cr3t-in-git');
    expect((await workflows()).map((w) => w.name)).not.toContain('Leaky');
    const audit = await s.call('GET', '/automation/admin/audit?limit=500');
    expect(JSON.stringify(audit.body)).not.toContain('s3cr3t-in-git');
  });

  it('attacker: a viewer key cannot push; without a key nothing is read', async () => {
    const dir = freshDir();
    expect((await itw(s, s.keys.viewer, 'pull', dir)).code).toBe(0);
    writeFileSync(join(dir, 'viewer-made.yaml'), NEW_FLOW.replace('New flow', 'Viewer made'));
    const r = await itw(s, s.keys.viewer, 'push', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Viewer made: POST \/automation\/workflows\/import: HTTP 403 .*pushing takes an editor key/);
    expect((await workflows()).map((w) => w.name)).not.toContain('Viewer made');
    const anonymous = await itw(s, undefined, 'diff', dir);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toMatch(/HTTP 401 .*\(set ITW_API_KEY\)/);
  });

  it('attacker: malformed files are named with the file and the field, and nothing is pushed', async () => {
    const dir = freshDir();
    expect((await itw(s, s.keys.viewer, 'pull', dir)).code).toBe(0);
    writeFileSync(join(dir, 'bad-type.yaml'), 'name: Bad type\nnodes:\n  - id: a\n    node_type: bogus\n    config: {}\nedges: []\n');
    writeFileSync(join(dir, 'bad-yaml.yaml'), 'name: Bad yaml\nnodes: [ {id: a\n');
    writeFileSync(join(dir, 'twin.yaml'), readFileSync(join(dir, 'restart-web.yaml'), 'utf8'));
    const r = await itw(s, s.keys.editor, 'push', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad-type\.yaml:4:\d+: \/nodes\/0\/node_type: .*/);
    expect(r.err).toMatch(/bad-yaml\.yaml(:\d+:\d+)?: .*\[parse_error\]/);
    expect(r.err).toMatch(/twin\.yaml: \/name: "Restart web" is also the name of .*restart-web\.yaml/);
    expect((await workflows()).map((w) => w.name).sort()).toEqual(['New flow', 'Restart web']);
    const d = await itw(s, s.keys.viewer, 'diff', dir);
    expect(d.code).toBe(1);
  });
});
