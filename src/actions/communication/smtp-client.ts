import { isIP } from 'node:net';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import type { Outbound } from '../http/http-client.js';

export interface SmtpServer {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** Never upgrade with STARTTLS, even when offered (servers on a trusted network without TLS). */
  readonly ignoreTls: boolean;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

export interface Email {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo?: string | undefined;
  readonly subject: string;
  readonly text?: string | undefined;
  readonly html?: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SentEmail {
  readonly messageId: string;
  readonly accepted: string[];
  readonly rejected: string[];
}

// A greeting takes milliseconds; a silent server should fail the attempt, not hold the step for
// nodemailer's 2 minute default. DATA may be slow on big messages, hence the longer socket budget.
const CONNECT_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

/** The fields of a nodemailer error we decide on (its own type is not exported from the package root). */
interface MailerFailure {
  readonly code?: string;
  readonly responseCode?: number;
  /** The server's reply line, e.g. `535 5.7.8 Authentication credentials invalid`. */
  readonly response?: string;
  /** Set with responseCode: false for 4xx (and 503), which a later attempt may get through. */
  readonly permanent?: boolean;
  /** The socket's own code when nodemailer reports ESOCKET: ECONNREFUSED, CERT_HAS_EXPIRED... */
  readonly originalCode?: string;
  readonly message?: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);
// Certificate and handshake failures: configuration to fix, not a blip to retry.
const TLS_SOCKET_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/;

function smtpError(err: unknown, target: string): ItwError {
  const e: MailerFailure = typeof err === 'object' && err !== null ? err : {};
  const reply = e.response ?? (e.responseCode === undefined ? undefined : String(e.responseCode));
  const said = reply === undefined ? '' : `: ${reply}`;
  const details = { server: target, ...(e.responseCode === undefined ? {} : { smtp_code: e.responseCode }) };
  const options = { cause: err, details };
  if (e.code === 'EABORT') return new ItwError('cancelled', 'email send aborted', options);
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    const message = e.code === 'ENOAUTH' ? `SMTP server ${target} requires a login: the credential has no user/password` : `SMTP server ${target} refused the login${said}`;
    return e.permanent === false ? new RetryableError('smtp_auth', message, options) : new NonRetryableError('smtp_auth', message, options);
  }
  if (e.code === 'ETLS' || TLS_SOCKET_CODES.test(e.originalCode ?? '')) {
    const why = `${e.message ?? 'handshake error'}${e.originalCode ? ` (${e.originalCode})` : ''}`;
    return new NonRetryableError('smtp_tls', `TLS with SMTP server ${target} failed: ${why}`, options);
  }
  if (e.responseCode !== undefined) {
    return e.permanent === false
      ? new RetryableError('smtp_temporary', `SMTP server ${target} deferred the message${said}`, options)
      : new NonRetryableError('smtp_rejected', `SMTP server ${target} rejected the message${said}`, options);
  }
  if (e.code !== undefined && CONNECTION_CODES.has(e.code)) {
    return new RetryableError('smtp_connection', `cannot talk to SMTP server ${target}: ${e.message ?? e.code}`, options);
  }
  return new RetryableError('smtp_error', `sending through SMTP server ${target} failed: ${e.message ?? String(err)}`, options);
}

/** One connection per message, closed after it: steps are rare enough that a pool would mostly idle. */
export async function sendEmail(server: SmtpServer, email: Email, io: Outbound): Promise<SentEmail> {
  // Dial the address the egress policy checked; TLS still verifies the certificate for the name.
  const address = await io.egress.resolve(server.host, 'smtp');
  // nodemailer is loaded at the first email sent, not at start (issue 14, idle RSS).
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: address,
    ...(isIP(server.host) ? {} : { servername: server.host }),
    port: server.port,
    secure: server.secure,
    ignoreTLS: server.ignoreTls,
    auth: server.user === undefined ? undefined : { user: server.user, pass: server.password ?? '' },
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // Params come from workflow data: never let them read local files or fetch URLs as content.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: email.from,
      to: [...email.to],
      cc: [...email.cc],
      bcc: [...email.bcc],
      replyTo: email.replyTo,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: { ...email.headers },
      signal: io.signal,
    });
    return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  } catch (err) {
    throw smtpError(err, `${server.host}:${server.port}`);
  } finally {
    transport.close();
  }
}
