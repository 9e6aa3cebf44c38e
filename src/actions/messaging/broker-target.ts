import { isIP } from 'node:net';
import type { ResolvedCredential } from '../../model/credentials.js';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { credentialError, optionalField, requiredField } from '../communication/credential-fields.js';
import type { ActionContext } from '../define-action.js';
import { bindingOf, checkCredentialHost } from '../http/credential-binding.js';

/** The URL schemes a broker credential may use, each with its default port and whether it is TLS. */
export type Schemes = Readonly<Record<string, { readonly port: number; readonly tls: boolean }>>;

/**
 * A broker or directory a step connects to, from an `mqtt`, `nats`, `amqp`, `redis` or `ldap`
 * credential, after the credential's host binding and the egress policy were checked. The client
 * dials `address` (the IP the policy judged, so a DNS answer that changes afterwards cannot
 * redirect it) and keeps `host` for TLS server names.
 */
export interface BrokerTarget {
  readonly credential: ResolvedCredential;
  readonly url: URL;
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly address: string;
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Every secret value of the credential, for masking errors. */
  readonly secrets: readonly string[];
}

/**
 * The TLS server name to check the certificate against: the credential's host name while the
 * connection goes to the address the policy judged. None for an IP host (RFC 6066 forbids IPs in
 * SNI; Node then checks the certificate against the address dialled, which is that IP).
 */
export function tlsServername(t: BrokerTarget): { servername?: string } {
  return isIP(t.host) ? {} : { servername: t.host };
}

/** `host:port` for messages: never a secret. */
export function where(t: BrokerTarget): string {
  return `${t.host}:${t.port}`;
}

function parseUrl(cred: ResolvedCredential, schemes: Schemes): URL {
  const raw = requiredField(cred, 'url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw credentialError(cred, 'field url is not an absolute URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(scheme in schemes)) throw credentialError(cred, `field url must start with ${Object.keys(schemes).map((s) => `${s}://`).join(' or ')}`);
  if (url.password !== '') throw credentialError(cred, 'field url holds a password: put it in the password field, which is kept secret');
  if (url.hostname === '') throw credentialError(cred, 'field url names no host');
  return url;
}

/**
 * Resolves the credential, checks that its host is one it is bound to and that the egress policy
 * lets workflows reach it: before anything is sent, whatever the step's params say.
 */
export async function resolveBroker(
  ctx: Pick<ActionContext<unknown>, 'credentials' | 'services'>,
  id: string,
  type: string,
  schemes: Schemes,
): Promise<BrokerTarget> {
  const cred = await ctx.credentials.get(id, [type]);
  const url = parseUrl(cred, schemes);
  const scheme = url.protocol.replace(/:$/, '');
  const { port: defaultPort, tls } = schemes[scheme]!;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? defaultPort : Number(url.port);
  checkCredentialHost(bindingOf(cred), host, port, type, ctx.services.egress);
  const address = await ctx.services.egress.resolve(host, type);
  const username = optionalField(cred, 'username') ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
  const secrets = Object.entries(cred.data).filter(([k]) => ['password', 'token'].includes(k)).map(([, v]) => v);
  return { credential: cred, url, scheme, host, port, address, tls, username, password: optionalField(cred, 'password'), secrets };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** A connection-level failure (refused, reset, timed out): worth another attempt. */
export function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * The error a step reports for a client failure it did not classify itself: our own errors as they
 * are, network failures retryable, anything else (a refusal by the broker) not.
 */
export function brokerError(prefix: string, t: BrokerTarget, err: unknown, what = 'failed'): ItwError {
  if (err instanceof ItwError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isNetworkError(err) || /timed? ?out|closed|ECONNREFUSED/i.test(message)) {
    return new RetryableError(`${prefix}_unavailable`, `${prefix} at ${where(t)}: ${message}`);
  }
  return new NonRetryableError(`${prefix}_${what}`, `${prefix} at ${where(t)}: ${message}`);
}
