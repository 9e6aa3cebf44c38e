import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOPBACK_EGRESS_ENV } from '../support/loopback-egress.js';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function itw(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, ...args], { encoding: 'utf8', env: { ...process.env, ...LOOPBACK_EGRESS_ENV, ITW_DATA_DIR: join(dir, 'data') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD_YAML = `
name: disk check
variables:
  - { name: threshold, type: number, default: 90 }
nodes:
  - { id: start, node_type: trigger, config: { trigger_type: manual } }
  - { id: full, node_type: condition, config: { expression: '$trigger.used_pct > $vars.threshold' } }
  - { id: alert, node_type: transform, config: { expression: '"disk " & $string($trigger.used_pct) & "% on " & $trigger.host' } }
  - { id: fine, node_type: transform, config: { expression: '"ok"' } }
edges:
  - { source_node_id: start, target_node_id: full }
  - { source_node_id: full, source_handle: "true", target_node_id: alert }
  - { source_node_id: full, source_handle: "false", target_node_id: fine }
`;

describe('itw run', () => {
  it('runs a YAML workflow to the end and prints the execution record; exit 0', () => {
    const r = itw('run', file('good.yaml', GOOD_YAML), '--input', '{"host":"web1","used_pct":97}');
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout) as { status: string; output: unknown; duration_ms: number; nodes: Array<{ node_id: string; status: string; attempt: number }> };
    expect(record.status).toBe('completed');
    expect(record.output).toEqual({ alert: 'disk 97% on web1' });
    expect(record.nodes.map((n) => [n.node_id, n.status])).toEqual([['start', 'completed'], ['full', 'completed'], ['alert', 'completed'], ['fine', 'skipped']]);
    expect(record.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('runs JSON too, and a failed execution exits 1 with the error in the record', () => {
    const def = { name: 'fails', nodes: [{ id: 'bad', node_type: 'transform', config: { expression: '$error("disk full")' } }], edges: [] };
    const r = itw('run', file('fails.json', JSON.stringify(def)), '--data-dir', join(dir, 'other'));
    expect(r.code).toBe(1);
    const record = JSON.parse(r.stdout) as { status: string; error: { message: string; node_id: string } };
    expect(record.status).toBe('failed');
    expect(record.error.node_id).toBe('bad');
    expect(record.error.message).toContain('disk full');
  });

  it('an invalid definition exits 2 with every problem on stderr, one per line with its path', () => {
    const r = itw('run', file('invalid.yaml', `
name: broken
nodes:
  - { id: a, node_type: transform, config: { expression: '$input +' } }
  - { id: b, node_type: frobnicate, config: {} }
  - { id: c, node_type: condition, config: {} }
  - { id: d, node_type: transform, config: { expression: '1' } }
  - { id: e, node_type: transform, config: { expression: '1' } }
edges:
  - { source_node_id: a, target_node_id: ghost }
  - { source_node_id: d, target_node_id: e }
  - { source_node_id: e, target_node_id: d }
`));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => l.includes('/nodes/0/config/expression') && l.includes('expression_syntax'))).toBe(true);
    expect(lines.some((l) => l.includes('/nodes/1/node_type') && l.includes('unknown_node_type'))).toBe(true);
    expect(lines.some((l) => l.includes('/nodes/2/config') && l.includes('invalid_config'))).toBe(true);
    expect(lines.some((l) => l.includes('/edges/0/target_node_id') && l.includes('missing_node'))).toBe(true);
    expect(lines.some((l) => l.includes('cycle') && l.includes('d') && l.includes('e'))).toBe(true);
  });

  // One or two processes per case: each loads the CLI from source through tsx (~3 s of CPU), and four
  // in one case came within reach of the test timeout with two test files running on a 2-core machine.
  it('a malformed YAML file exits 2 with the line, never a stack trace', () => {
    const yaml = itw('run', file('bad.yaml', 'name: x\nnodes: [\n  - {id: a\n'));
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/line \d+/);
    expect(yaml.stderr).not.toContain('    at ');
  });

  it('malformed JSON exits 2, never a stack trace', () => {
    const json = itw('run', file('bad.json', '{"name": "x", "nodes": [}'));
    expect(json.code).toBe(2);
    expect(json.stderr).not.toContain('    at ');
  });

  it('a missing file or one that is not an object exits 2', () => {
    const missing = itw('run', join(dir, 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const notAnObject = itw('run', file('list.json', '[1,2,3]'));
    expect(notAnObject.code).toBe(2);
  });

  it('bad --input JSON exits 2 naming --input', () => {
    const r = itw('run', file('good2.yaml', GOOD_YAML), '--input', '{nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input');
  });

  it('unknown commands and flags exit 2 with a message', () => {
    const u = itw('frobnicate');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('unknown command');
    const flag = itw('run', '--bogus');
    expect(flag.code).toBe(2);
  });
});

describe('itw validate and help', () => {
  it('validate says valid (exit 0) or lists problems (exit 2)', () => {
    const ok = itw('validate', file('v.yaml', GOOD_YAML));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid (4 nodes, 3 edges)');
    const bad = itw('validate', file('v2.yaml', 'name: x\nnodes:\n  - { id: a, node_type: condition, config: {} }\n'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/nodes/0/config');
  });

  it('--version prints the package version', () => {
    const r = itw('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists the commands', () => {
    const r = itw('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('itw run FILE');
    expect(r.stdout).toContain('validate FILE');
  });
});
