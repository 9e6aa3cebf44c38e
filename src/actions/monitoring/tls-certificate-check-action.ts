import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, rootCertificates, type TLSSocket } from 'node:tls';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { RetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { certificateFacts } from './certificate-facts.js';
import { HOST_PATTERN, hostParam } from './host-param.js';
import { connectError, openSocket } from './open-socket.js';

const ID = 'tls_certificate_check';
const DEFAULT_PORT = 443;
const DEFAULT_WARN_DAYS = 14;
const DEFAULT_TIMEOUT_SECONDS = 10;

const TlsCheckParams = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255, pattern: HOST_PATTERN, description: 'Host name or IP address to connect to' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: DEFAULT_PORT, description: 'TLS port. Default 443' })),
    servername: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Name sent as SNI and checked against the certificate. Default: host (when it is a name)' })),
    warn_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: DEFAULT_WARN_DAYS, description: 'ok is false when the certificate expires in fewer days. Default 14' })),
    ca: Type.Optional(Type.String({ minLength: 1, description: 'Extra trusted CA certificates (PEM), for an internal PKI' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 120, default: DEFAULT_TIMEOUT_SECONDS, description: 'Handshake timeout' })),
    fail_on_error: Type.Optional(Type.Boolean({ default: false, description: 'Fail the step when the check fails, instead of returning ok: false' })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const TlsCheckOutput = Type.Object({
  ok: Type.Boolean({ description: 'Trusted chain, name matches, and more than warn_days left' }),
  days_left: Type.Union([Type.Integer(), Type.Null()], { description: 'Whole days until the certificate expires (negative: expired)' }),
  valid_to: Nullable(Type.String({ description: 'Expiry, ISO 8601' })),
  issuer: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  san: Type.Array(Type.String(), { description: 'Subject alternative names' }),
  chain_length: Type.Integer({ description: 'Certificates the server sent (leaf included)' }),
  hostname_ok: Type.Boolean({ description: 'The certificate is valid for servername' }),
  authorized: Type.Boolean({ description: 'The chain leads to a trusted CA (system store plus ca)' }),
  error: Nullable(Type.String({ description: 'Why ok is false' })),
});

function handshake(address: string, port: number, servername: string | undefined, ca: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<TLSSocket> {
  // rejectUnauthorized off: an untrusted or expired certificate is what the check reports, not a failure to connect.
  const open = () => connect({ host: address, port, rejectUnauthorized: false, ...(servername ? { servername } : {}), ...(ca ? { ca: [ca, ...rootCertificates] } : {}) });
  return openSocket(open, 'secureConnect', timeoutMs, signal);
}
/** OpenSSL skips what it cannot read in a CA bundle without a word: a bad `ca` would just mean "untrusted". */
function checkCa(pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw invalidParam(ID, '/ca', 'must hold PEM certificates (-----BEGIN CERTIFICATE-----)');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw invalidParam(ID, '/ca', `certificate ${i + 1} is not a valid PEM certificate`);
    }
  });
}

export const tlsCertificateCheckAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'TLS Certificate Check',
  description:
    'Connects to a TLS port and reports the server certificate: days until expiry, issuer, subject, alternative names, chain length, whether the chain is trusted and the name matches. ok is false when any of these fails or fewer than warn_days remain.',
  params: TlsCheckParams,
  output: TlsCheckOutput,
  async run(ctx) {
    const p = ctx.params;
    const host = hostParam(ID, '/host', p.host);
    const port = p.port ?? DEFAULT_PORT;
    const name = p.servername ?? host;
    const sni = isIP(name) === 0 ? name : undefined;
    const warnDays = p.warn_days ?? DEFAULT_WARN_DAYS;
    if (p.ca !== undefined) checkCa(p.ca);
    const failed = (error: string) => {
      ctx.log.log('warn', `${host}:${port}: ${error}`);
      if (p.fail_on_error) throw new RetryableError('check_failed', `TLS check of ${host}:${port} failed: ${error}`);
    };
    let socket: TLSSocket;
    try {
      const address = await ctx.services.egress.resolve(host, 'tls');
      socket = await handshake(address, port, sni, p.ca, (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000, ctx.signal);
    } catch (err) {
      const error = connectError(err);
      if (error === undefined) throw err;
      failed(error);
      return { ok: false, days_left: null, valid_to: null, issuer: null, subject: null, san: [], chain_length: 0, hostname_ok: false, authorized: false, error };
    }
    const cert = socket.getPeerCertificate(true);
    const authError = socket.authorizationError === null ? undefined : String(socket.authorizationError);
    // Node reports a chain error first, and a name mismatch only on a trusted chain: that one is hostname_ok's to say.
    const authorized = socket.authorized || authError === 'ERR_TLS_CERT_ALTNAME_INVALID';
    socket.destroy();
    const facts = certificateFacts(cert, name, Date.now());
    const problems = [
      ...(authorized ? [] : [`untrusted certificate (${authError ?? 'unknown reason'})`]),
      ...(facts.hostname_ok ? [] : [`certificate is not valid for ${name}`]),
      ...(facts.days_left < warnDays ? [facts.days_left < 0 ? `certificate expired on ${facts.valid_to}` : `certificate expires in ${facts.days_left} days (warn_days ${warnDays})`] : []),
    ];
    const error = problems.length === 0 ? null : problems.join('; ');
    if (error !== null) failed(error);
    else ctx.log.log('info', `${host}:${port}: certificate valid for ${facts.days_left} more days`, { days_left: facts.days_left });
    return { ok: error === null, ...facts, authorized, error };
  },
  plan(ctx) {
    const p = ctx.params;
    return `check the TLS certificate of ${p.host}:${p.port ?? DEFAULT_PORT}${p.servername ? ` for ${p.servername}` : ''} (warn under ${p.warn_days ?? DEFAULT_WARN_DAYS} days)`;
  },
});
