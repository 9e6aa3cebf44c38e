import { describe, expect, it } from 'vitest';
import { checkExpression, checkTemplates } from './expression-check';
import { normalizeSchema } from './normalize-schema';
import jsonata from 'jsonata';

describe('normalizeSchema', () => {
  it('turns TypeBox unions of constants into enums and pattern maps into additionalProperties', () => {
    const s = normalizeSchema({
      type: 'object',
      properties: {
        method: { default: 'GET', anyOf: [{ const: 'GET', type: 'string' }, { const: 'POST', type: 'string' }] },
        headers: { type: 'object', patternProperties: { '^(.*)$': { type: 'string' } } },
        body: {},
      },
    });
    expect(s['properties']).toEqual({
      method: { default: 'GET', type: 'string', enum: ['GET', 'POST'] },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      body: { 'x-any': true },
    });
  });
});

describe('expression checks', () => {
  const parse = (src: string) => jsonata(src);
  it('locates a JSONata syntax error', () => {
    expect(checkExpression('$input.n *', parse)?.message).toMatch(/at character/);
    expect(checkExpression('$input.n * 2', parse)).toBeUndefined();
  });

  it('checks each {{ }} template in a text, with positions in the whole text', () => {
    expect(checkTemplates('disk {{ $trigger.pct }}% on {{ $trigger.host ) }}', parse)?.message).toMatch(/at character/);
    expect(checkTemplates('disk {{ $trigger.pct }}%', parse)).toBeUndefined();
    expect(checkTemplates('empty {{ }}', parse)?.message).toMatch(/empty/);
  });
});
