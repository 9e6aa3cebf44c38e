import { describe, expect, it } from 'vitest';
import { adoptJsonText, composeJsonText, jsonText } from './json-text.js';

describe('jsonText', () => {
  it('keeps the text a parsed body came in, and builds an object around it that parses to the same value', () => {
    const raw = '{ "id": "order-42",\n  "items": [ {"price": 1.50}, {"price": 2e0} ], "note": "caf\\u00e9", "__proto__": {"x": 1} }';
    const body = JSON.parse(raw) as unknown;
    adoptJsonText(body, raw);
    expect(jsonText(body)).toBe(raw);
    const input = { body, headers: { 'content-type': 'application/json' }, query: {}, method: 'POST', path: 'orders', absent: undefined };
    const text = composeJsonText(input);
    expect(text).toContain(raw);
    // The same value JSON.stringify's text gives, own __proto__ key included.
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(input)));
    expect(Object.keys((JSON.parse(text) as { body: object }).body)).toEqual(['id', 'items', 'note', '__proto__']);
    expect(jsonText(input)).toBe(text);
  });

  it('serialises anything else once, as JSON.stringify does', () => {
    const v = { a: [1, 'two', null], d: new Date(0), f: () => 1 };
    expect(jsonText(v)).toBe(JSON.stringify(v));
    expect(composeJsonText({ n: 1, s: 'x', v })).toBe(JSON.stringify({ n: 1, s: 'x', v }));
    expect(jsonText(undefined)).toBeUndefined();
  });
});
