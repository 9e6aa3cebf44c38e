import type { Client } from 'ldapts';
import type * as Ldapts from 'ldapts';
import { lazyModule } from '../lazy-module.js';

/** ldapts, loaded by the first LDAP step (lazy-module.ts). */
export const ldap = lazyModule<typeof Ldapts>('ldapts');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { optionalField, requiredField } from '../communication/credential-fields.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import type { ActionContext } from '../define-action.js';
import { isNetworkError, resolveBroker, where, type BrokerTarget, type Schemes, tlsServername } from '../messaging/broker-target.js';
import { isUnder } from './ldap-dn.js';

const SCHEMES: Schemes = { ldap: { port: 389, tls: false }, ldaps: { port: 636, tls: true } };
const TIMEOUT_MS = 15_000;

// LDAP result codes (RFC 4511 §4.1.9) a later attempt may get past: busy, unavailable, unwilling
// (a replica in maintenance), a server-side time limit, and "other" from a proxy that lost its backend.
const RETRYABLE_CODES = new Set([3, 51, 52, 80]);
const NAMED_CODES: Readonly<Record<number, string>> = {
  49: 'ldap_auth_failed', 32: 'ldap_no_such_object', 68: 'ldap_already_exists', 50: 'ldap_insufficient_access',
  65: 'ldap_object_class_violation', 17: 'ldap_undefined_attribute', 21: 'ldap_invalid_syntax', 34: 'ldap_invalid_dn', 19: 'ldap_constraint_violation',
};

/** An open, bound connection to the directory of an `ldap` credential. */
export interface LdapSession {
  readonly client: Client;
  readonly baseDn: string;
  readonly target: BrokerTarget;
}

/** The step error for an LDAP failure: the result code's meaning and the server's text, never the password. */
export function ldapError(t: BrokerTarget, err: unknown, what: string): ItwError {
  if (err instanceof ItwError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ldap().ResultCodeError) {
    const text = `LDAP server at ${where(t)} refused to ${what}: ${message} (result code ${err.code})`;
    if (RETRYABLE_CODES.has(err.code)) return new RetryableError('ldap_unavailable', text);
    return new NonRetryableError(NAMED_CODES[err.code] ?? 'ldap_error', text, { details: { result_code: err.code } });
  }
  if (isNetworkError(err) || /timeout|closed|socket|connect/i.test(message)) return new RetryableError('ldap_unavailable', `LDAP server at ${where(t)}: ${message}`);
  return new NonRetryableError('ldap_error', `LDAP server at ${where(t)}: ${message}`);
}

/**
 * Opens the credential's directory, bound as its bind_dn, runs `fn` and unbinds. The server is the
 * one its host binding and the egress policy allow; ldaps:// and starttls check the server
 * certificate against tls_ca (or the system CAs) for the credential's host name.
 */
export async function withLdap<T>(
  ctx: Pick<ActionContext<unknown>, 'credentials' | 'services' | 'signal'>,
  credentialId: string,
  fn: (s: LdapSession) => Promise<T>,
): Promise<T> {
  const t = await resolveBroker(ctx, credentialId, 'ldap', SCHEMES);
  const bindDn = requiredField(t.credential, 'bind_dn');
  const password = requiredField(t.credential, 'password');
  const baseDn = requiredField(t.credential, 'base_dn');
  const ca = optionalField(t.credential, 'tls_ca');
  const tlsOptions = { ...tlsServername(t), ...(ca ? { ca } : {}) };
  return withSecretsMasked([password], async () => {
    const host = t.address.includes(':') ? `[${t.address}]` : t.address;
    const client = new (ldap().Client)({ url: `${t.scheme}://${host}:${t.port}`, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS, ...(t.tls ? { tlsOptions } : {}) });
    const abort = () => void client.unbind().catch(() => undefined);
    ctx.signal.addEventListener('abort', abort, { once: true });
    try {
      try {
        if (['true', '1', 'yes'].includes((optionalField(t.credential, 'starttls') ?? '').toLowerCase())) await client.startTLS(tlsOptions);
        await client.bind(bindDn, password);
      } catch (err) {
        throw ldapError(t, err, `bind as ${bindDn}`);
      }
      return await fn({ client, baseDn, target: t });
    } finally {
      ctx.signal.removeEventListener('abort', abort);
      await client.unbind().catch(() => undefined);
    }
  });
}

/** Refuses a DN param outside the credential's base DN, naming the param. */
export function checkUnderBase(actionId: string, path: string, dn: string, baseDn: string): void {
  if (!isUnder(dn, baseDn)) throw invalidParam(actionId, path, `${dn} is not under the credential's base DN ${baseDn}`);
}

function ambiguous(uid: string, baseDn: string): NonRetryableError {
  return new NonRetryableError('ldap_ambiguous', `more than one entry has uid ${uid} under ${baseDn}: name it by user_dn`);
}

/**
 * The DN of the user a step names: `user_dn` as given (under the base DN), or the one entry below
 * the base DN whose uid is `uid` (the filter value escaped, RFC 4515).
 */
export async function findUser(actionId: string, s: LdapSession, p: { uid?: string | undefined; user_dn?: string | undefined }): Promise<{ dn: string; uid: string | undefined }> {
  if ((p.uid === undefined) === (p.user_dn === undefined)) throw invalidParam(actionId, '/uid', 'give either uid or user_dn');
  if (p.user_dn !== undefined) {
    checkUnderBase(actionId, '/user_dn', p.user_dn, s.baseDn);
    const found = await s.client.search(p.user_dn, { scope: 'base', attributes: ['uid'] }).catch((err: unknown) => {
      throw ldapError(s.target, err, `read ${p.user_dn}`);
    });
    const uid = found.searchEntries[0]?.['uid'];
    return { dn: p.user_dn, uid: Array.isArray(uid) ? String(uid[0]) : uid === undefined ? undefined : String(uid) };
  }
  const result = await s.client
    .search(s.baseDn, { scope: 'sub', filter: new (ldap().EqualityFilter)({ attribute: 'uid', value: p.uid! }), attributes: ['uid'], sizeLimit: 2 })
    .catch((err: unknown) => {
      if (err instanceof ldap().ResultCodeError && err.code === 4) throw ambiguous(p.uid!, s.baseDn);
      throw ldapError(s.target, err, `search for uid ${p.uid}`);
    });
  if (result.searchEntries.length === 0) throw new NonRetryableError('ldap_no_such_object', `no entry with uid ${p.uid} under ${s.baseDn}`);
  if (result.searchEntries.length > 1) throw ambiguous(p.uid!, s.baseDn);
  return { dn: result.searchEntries[0]!.dn, uid: p.uid };
}
