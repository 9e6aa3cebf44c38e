import { describe, expect, it } from 'vitest';
import { hasTemplate, isSingleExpressionTemplate, splitTemplate } from './template.js';

describe('splitTemplate', () => {
  it('splits text and trimmed expressions, with the offset of each expression', () => {
    const s = 'Host {{ $input.host }} is {{$input.state}}!';
    expect(splitTemplate(s)).toEqual([
      { kind: 'text', text: 'Host ' },
      { kind: 'expr', expr: '$input.host', offset: 8 },
      { kind: 'text', text: ' is ' },
      { kind: 'expr', expr: '$input.state', offset: 28 },
      { kind: 'text', text: '!' },
    ]);
    expect(s.slice(8, 8 + '$input.host'.length)).toBe('$input.host');
  });

  it('keeps plain strings and unclosed braces as text', () => {
    expect(splitTemplate('no templates')).toEqual([{ kind: 'text', text: 'no templates' }]);
    expect(splitTemplate('a {{ b')).toEqual([{ kind: 'text', text: 'a {{ b' }]);
    expect(splitTemplate('')).toEqual([]);
  });

  it('reports an empty template as an empty expression', () => {
    expect(splitTemplate('{{ }}')).toEqual([{ kind: 'expr', expr: '', offset: 3 }]);
  });
});

describe('isSingleExpressionTemplate', () => {
  it('returns the expression when the whole string is one template', () => {
    expect(isSingleExpressionTemplate('{{ $vars.port }}')).toBe('$vars.port');
    expect(isSingleExpressionTemplate('  {{$vars.port}} \n')).toBe('$vars.port');
  });

  it('returns undefined for text around or between templates', () => {
    expect(isSingleExpressionTemplate('port {{ $vars.port }}')).toBeUndefined();
    expect(isSingleExpressionTemplate('{{ a }}{{ b }}')).toBeUndefined();
    expect(isSingleExpressionTemplate('plain')).toBeUndefined();
  });
});

describe('hasTemplate', () => {
  it('is true only when a closed template is present', () => {
    expect(hasTemplate('x {{ y }}')).toBe(true);
    expect(hasTemplate('x {{ y')).toBe(false);
    expect(hasTemplate('x')).toBe(false);
  });
});
