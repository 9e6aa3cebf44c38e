import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from './parse-definition.js';

describe('parseDefinitionText', () => {
  it('parses YAML by default', () => {
    const r = parseDefinitionText('name: Disk check\nnodes:\n  - id: t\n    node_type: trigger\n', 'disk.yaml');
    expect(r).toEqual({ ok: true, value: { name: 'Disk check', nodes: [{ id: 't', node_type: 'trigger' }] } });
  });

  it('parses JSON when the name ends in .json or the text starts with {', () => {
    expect(parseDefinitionText('{"name":"x"}')).toEqual({ ok: true, value: { name: 'x' } });
    expect(parseDefinitionText('["a"]', 'W.JSON')).toEqual({ ok: true, value: ['a'] });
  });

  it('reports a JSON error with its line and column', () => {
    const r = parseDefinitionText('{\n  "name": "x",\n}', 'w.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ path: '', code: 'parse_error' });
    expect(r.problems[0]?.message).toMatch(/line 3, column 1/);
  });

  it('reports YAML errors with line and column, one problem each', () => {
    const r = parseDefinitionText('name: x\nname: y\n', 'w.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ path: '', code: 'parse_error' });
    expect(r.problems[0]?.message).toMatch(/unique.*line 2, column 1/);
    expect(r.problems[0]?.message).not.toContain('\n');
  });
});
