import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Line numbers below count from the first line of this text.
const BROKEN = `name: broken
nodes:
  - id: start
    node_type: trigger
    config: { trigger_type: manual }
  - id: check
    node_type: condition
    config:
      expression: '$input.status >= 200 2'
  - id: tell
    node_type: action
    config: { action_type: send_slak, text: hi }
edges:
  - { source_node_id: start, target_node_id: check }
  - { source_node_id: check, target_node_id: gone }
  - source_node_id: check
    target_node_id: tell
    condtion: 'true'
`;

describe('itw validate', { timeout: 120_000 }, () => {
  it('gives line:column for every problem, names edges by their ends, and shows a bad expression with a caret', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, BROKEN);
    const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, 'validate', file], { encoding: 'utf8', env: { ...process.env, ITW_DATA_DIR: join(dir, 'data') } });
    expect(r.status).toBe(2);
    const err = r.stderr;
    expect(err).not.toContain('    at ');
    expect(err).not.toMatch(/edge_\d/);
    // Every problem line starts with file:line:column.
    const heads = err.split('\n').filter((l) => l.startsWith(file));
    expect(heads.length).toBeGreaterThanOrEqual(4);
    for (const h of heads) expect(h).toMatch(new RegExp(`^${file.replaceAll('/', '\\/')}:\\d+:\\d+: `));
    expect(err).toContain(`${file}:9:19: /nodes/1/config/expression: invalid expression: unexpected "2" (an operator or a closing bracket missing before it?) at position 21`);
    expect(err).toContain('    $input.status >= 200 2\n                         ^');
    expect(err).toContain(`${file}:12:28: /nodes/2/config/action_type: unknown action "send_slak" (did you mean "send_slack"?)`);
    expect(err).toMatch(new RegExp(`${file}:15:\\d+: edge check → gone \\(/edges/1/target_node_id\\): edge check → gone goes to node "gone"`));
    expect(err).toMatch(new RegExp(`${file}:18:\\d+: edge check → tell \\(/edges/2/condtion\\): .*did you mean "condition"`));
  });
});
