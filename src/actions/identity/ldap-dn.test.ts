import { describe, expect, it } from 'vitest';
import { escapeDnValue, isUnder, parentDn, rdn, splitDn } from './ldap-dn.js';

describe('escapeDnValue (RFC 4514 §2.4)', () => {
  it.each([
    ['jdoe', 'jdoe'],
    ['x,ou=admins', 'x\\,ou\\=admins'],
    ['a+b', 'a\\+b'],
    ['"quoted"', '\\"quoted\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['<tag>;', '\\<tag\\>\\;'],
    ['#hash', '\\#hash'],
    ['mid#hash', 'mid#hash'],
    [' lead and trail ', '\\ lead and trail\\ '],
    ['nul\u0000byte', 'nul\\00byte'],
    ['Zoë', 'Zoë'],
  ])('%j → %j', (value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('keeps a hostile value in one RDN: the DN still has the parent it was given', () => {
    const dn = `${rdn('uid', 'x,ou=admins,dc=example,dc=com')},ou=people,dc=example,dc=com`;
    expect(splitDn(dn)).toHaveLength(4);
    expect(parentDn(dn)).toBe('ou=people,dc=example,dc=com');
  });
});

describe('isUnder', () => {
  it('compares DNs without regard to case and spaces, and only on whole RDNs', () => {
    expect(isUnder('OU=People, DC=Example,DC=com', 'dc=example,dc=com')).toBe(true);
    expect(isUnder('dc=example,dc=com', 'dc=example,dc=com')).toBe(true);
    expect(isUnder('ou=people,dc=badexample,dc=com', 'dc=example,dc=com')).toBe(false);
    expect(isUnder('ou=x\\,dc=example\\,dc=com,dc=evil,dc=org', 'dc=example,dc=com')).toBe(false);
  });
});
