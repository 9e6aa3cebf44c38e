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

  it('leaves no trace a reader can see, and no text a copy or a derived object could take for its own', () => {
    const raw = `{"items": [${Array.from({ length: 40 }, (_, i) => `{"n": ${i}}`).join(', ')}]}`;
    const body = JSON.parse(raw) as Record<string, unknown>;
    adoptJsonText(body, raw);
    const plain = JSON.parse(raw) as Record<string, unknown>;
    expect(JSON.stringify(body)).toBe(JSON.stringify(plain));
    expect(Object.keys(body)).toEqual(['items']);
    expect(structuredClone(body)).toStrictEqual(plain);
    // A copy and an object derived from it serialise as themselves, not as the original text.
    const copy = { ...body, extra: 1 };
    expect(jsonText(copy)).toBe(JSON.stringify(copy));
    expect(jsonText(Object.create(body) as object)).toBe('{}');
    // Asked to, texts of some length are kept for next time, as they were even if the value is
    // mutated after (the engine never does: that is the contract); short ones, or unasked, are not.
    const big = { list: Array.from({ length: 30 }, (_, i) => i) };
    const text = jsonText(big, true);
    big.list.push(30);
    expect(jsonText(big)).toBe(text);
    const unasked = { list: Array.from({ length: 30 }, (_, i) => i) };
    expect(jsonText(unasked)).toBe(text);
    unasked.list.push(30);
    expect(jsonText(unasked)).toBe(JSON.stringify(unasked));
    const small = { a: 1 };
    expect(jsonText(small, true)).toBe('{"a":1}');
    small.a = 2;
    expect(jsonText(small)).toBe('{"a":2}');
  });

  it('remembers the text of a frozen value too', () => {
    const raw = '{ "frozen": true }';
    const v = Object.freeze(JSON.parse(raw) as object);
    adoptJsonText(v, raw);
    expect(jsonText(v)).toBe(raw);
  });
});

