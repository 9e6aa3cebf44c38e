/**
 * DN building and checks for the LDAP actions. Values from workflows (a uid, a cn) become one RDN
 * value, escaped per RFC 4514 §2.4, so `x,ou=admins` stays the text of one attribute and cannot
 * change where the entry lands. Pure: no I/O.
 */

const SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\', '=']);

/** An attribute value escaped to sit in a DN (RFC 4514 §2.4). */
export function escapeDnValue(value: string): string {
  let out = '';
  [...value].forEach((ch, i, all) => {
    if (ch === '\u0000') out += '\\00';
    else if (SPECIAL.has(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === all.length - 1 && ch === ' ')) out += `\\${ch}`;
    else out += ch;
  });
  return out;
}

/** `attr=value` with the value escaped. */
export function rdn(attribute: string, value: string): string {
  return `${attribute}=${escapeDnValue(value)}`;
}

/** The RDNs of a DN, split on unescaped commas (escapes kept as written). */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\' && i + 1 < dn.length) {
      current += ch + dn[i + 1]!;
      i++;
    } else if (ch === ',') {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

/** A DN compared loosely: RDNs trimmed, attribute names and values lower-cased. */
export function normalizeDn(dn: string): string {
  return splitDn(dn).map((r) => r.replace(/\s*=\s*/, '=').toLowerCase()).join(',');
}

/** True when `dn` is `base` or below it. */
export function isUnder(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}

/** The parent of a DN (everything after its first RDN). */
export function parentDn(dn: string): string {
  return splitDn(dn).slice(1).join(',');
}

/** The first RDN of a DN, as written. */
export function firstRdn(dn: string): string {
  return splitDn(dn)[0] ?? '';
}
