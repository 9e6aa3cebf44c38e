import { describe, expect, it } from 'vitest';
import { argvCodeIndexes, nodeCodeFields } from './code-fields.js';

describe('code fields', () => {
  it('an argv: the program and the script given to a shell or interpreter are code, other entries data', () => {
    expect(argvCodeIndexes(['ping', '-c', '1', 'host'])).toEqual([0]);
    expect(argvCodeIndexes(['sh', '-c', 'echo hi', 'arg0'])).toEqual([0, 2]);
    expect(argvCodeIndexes(['/bin/bash', '-lc', 'echo hi'])).toEqual([0, 2]);
    expect(argvCodeIndexes(['/usr/bin/python3.12', '-c', 'print(1)', 'x'])).toEqual([0, 2]);
    expect(argvCodeIndexes(['timeout', '5', 'node', '-e', 'x', 'y'])).toEqual([0, 4]);
    expect(argvCodeIndexes(['kubectl', 'exec', 'pod', '--', 'bash', '-c', 'x'])).toEqual([0, 6]);
    expect(argvCodeIndexes(['awk', '-v', 'x=1', '{print}', 'file'])).toEqual([0, 2]);
  });

  it("a node's code fields: raw fields, and an action's code params in either params form", () => {
    const hints = { sql: 'use params', command: 'use argv' };
    expect(nodeCodeFields({ code: 'x', timeout_seconds: 3 }, { rawFields: ['code'] }).map((f) => f.path)).toEqual([['code']]);
    expect(nodeCodeFields({ action_type: 'q', sql: 'select 1', params: [1] }, undefined, hints).map((f) => f.path)).toEqual([['sql']]);
    expect(nodeCodeFields({ action_type: 'q', params: { sql: 'select 1' } }, undefined, hints).map((f) => f.path)).toEqual([['params', 'sql']]);
    expect(nodeCodeFields({ action_type: 'c', command: ['sh', '-c', 'x'] }, undefined, hints)).toEqual([
      { path: ['command', 0], hint: 'use argv' },
      { path: ['command', 2], hint: 'use argv' },
    ]);
  });
});
