import type { ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';

/** The credential exists but cannot be used as it is: names the problem, never a value. */
export function credentialError(cred: ResolvedCredential, problem: string): NonRetryableError {
  return new NonRetryableError('credential_invalid', `credential ${cred.id} (${cred.type}) ${problem}`, {
    details: { credential_id: cred.id, credential_type: cred.type },
  });
}

/** A non-empty field, or undefined; the resolver hands out strings, but a blank one means "not set". */
export function optionalField(cred: ResolvedCredential, name: string): string | undefined {
  const value = cred.data[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Names the missing field, never a value. */
export function requiredField(cred: ResolvedCredential, name: string): string {
  const value = optionalField(cred, name);
  if (value === undefined) throw credentialError(cred, `has no ${name}`);
  return value;
}

/** An http(s) base URL without trailing slashes, so `${base}/api/...` keeps any path prefix (Jira's context path). */
export function baseUrlField(cred: ResolvedCredential, name: string, fallback?: string): string {
  const raw = fallback === undefined ? requiredField(cred, name) : (optionalField(cred, name) ?? fallback);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw credentialError(cred, `field ${name} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw credentialError(cred, `field ${name} is not an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

/** `user:password` as an HTTP Basic header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
