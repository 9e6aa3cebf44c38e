import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from './slack-command-text.js';

describe('/itw command text', () => {
  it('reads run <workflow> key=value with quoted values', () => {
    expect(parseSlashCommand('run restart-web env=prod note="disk full" who=“ops team”')).toEqual({
      kind: 'run', workflow: 'restart-web', args: { env: 'prod', note: 'disk full', who: 'ops team' },
    });
    expect(parseSlashCommand('  ')).toEqual({ kind: 'help' });
    expect(parseSlashCommand('help')).toEqual({ kind: 'help' });
  });

  it('keeps hostile values as plain strings and refuses what is not key=value', () => {
    const c = parseSlashCommand(`run wf cmd=$(id);rm q="'; DROP TABLE users;--" __proto__=x t={{$vars}}`);
    expect(c).toEqual({ kind: 'run', workflow: 'wf', args: { cmd: '$(id);rm', q: "'; DROP TABLE users;--", ['__proto__']: 'x', t: '{{$vars}}' } });
    if (c.kind === 'run') expect(Object.getPrototypeOf(c.args)).toBe(Object.prototype);
    expect(parseSlashCommand('run wf =x')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('is not key=value') });
    expect(parseSlashCommand('run wf 1a=x')).toMatchObject({ kind: 'invalid' });
    expect(parseSlashCommand('run wf a=1 a=2')).toMatchObject({ kind: 'invalid', message: 'a is given twice' });
    expect(parseSlashCommand('run wf a="open')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('quote') });
    expect(parseSlashCommand('delete wf')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('unknown command') });
    expect(parseSlashCommand('run')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('name the workflow') });
  });
});
