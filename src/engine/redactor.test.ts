import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redactor.js';

describe('Redactor', () => {
  it('replaces every known secret in nested values, longest first, and leaves the rest', () => {
    const r = new Redactor();
    expect(r.redact({ a: 'token abc123' })).toEqual({ a: 'token abc123' });
    r.add('abc123');
    r.add('abc123-long');
    r.add('no'); // too short to be a secret
    expect(r.redact({ a: ['Bearer abc123-long', 'x abc123 y', 'no'], n: 5, z: null })).toEqual({
      a: [`Bearer ${REDACTED}`, `x ${REDACTED} y`, 'no'], n: 5, z: null,
    });
  });

  it('walks a 400k-deep value without overflowing the stack, keeping key order and __proto__ as data', () => {
    const r = new Redactor();
    r.add('s3cret-value');
    let deep: unknown = 'token s3cret-value';
    for (let i = 0; i < 400_000; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    let out = r.redact(deep);
    for (let i = 399_999; i >= 0; i--) out = i % 2 === 0 ? (out as unknown[])[0] : (out as { k: unknown }).k;
    expect(out).toBe(`token ${REDACTED}`);

    const parsed = JSON.parse('{"b": "s3cret-value", "__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const red = r.redact(parsed);
    expect(Object.keys(red)).toEqual(['b', '__proto__', 'a']);
    expect(red['b']).toBe(REDACTED);
    expect((red as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('Redactor: encoded forms', () => {
  it('redacts a secret sent base64-encoded, URL-encoded, JSON-escaped and as a Basic user:secret pair', () => {
    const r = new Redactor();
    const secret = 'p@ss "w/rd" é+1';
    r.add(secret);
    r.addPair('svc', secret);
    const basic = `Basic ${Buffer.from(`svc:${secret}`).toString('base64')}`;
    const out = r.redact({
      basic, b64: Buffer.from(secret).toString('base64'), url: `?t=${encodeURIComponent(secret)}`, form: `t=${encodeURIComponent(secret).replace(/%20/g, '+')}`,
      json: JSON.stringify({ t: secret }), ascii: JSON.stringify({ t: secret }).replace(/é/g, '\\u00e9'),
    });
    expect(out).toEqual({
      basic: `Basic ${REDACTED}`, b64: REDACTED, url: `?t=${REDACTED}`, form: `t=${REDACTED}`, json: `{"t":"${REDACTED}"}`, ascii: `{"t":"${REDACTED}"}`,
    });
    expect(REDACTED).toBe('[redacted]');
  });
});
