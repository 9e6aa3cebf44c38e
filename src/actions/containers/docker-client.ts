import type { Dispatcher } from 'undici';
import { undici } from '../http/undici-module.js';
import { credentialError, optionalField, requiredField } from '../communication/credential-fields.js';
import { redactError } from '../communication/secrets.js';
import { isRetryableStatus, statusCode } from '../communication/service-http.js';
import { bindingOf, checkCredentialHost } from '../http/credential-binding.js';
import type { Outbound } from '../http/http-client.js';
import { parseRetryAfter } from '../http/retry-after.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import type { DockerSocketAllowList } from './docker-socket-allow-list.js';

/** Engine API 1.43 (Docker 24) and later answer these paths the same way. */
export const DEFAULT_DOCKER_API_VERSION = '1.43';
const DOCKER_TIMEOUT_MS = 60_000;

export interface DockerResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The body reached the byte cap and was cut there. */
  readonly truncated: boolean;
}

/** Where the daemon is: a unix socket the operator allowed, or a `docker` credential (TCP with TLS). */
export type DockerEndpoint = { readonly socketPath: string } | { readonly cred: ResolvedCredential };

/**
 * The Engine API over a unix socket (no network: the allow-list is the guard) or over TCP with TLS
 * (the egress policy and the credential's host binding apply, as for HTTP).
 */
export class DockerClient {
  private constructor(
    private readonly origin: string,
    private readonly dispatcher: Dispatcher,
    private readonly version: string,
    private readonly io: Outbound,
    private readonly secrets: readonly string[],
  ) {}

  static open(endpoint: DockerEndpoint, sockets: DockerSocketAllowList, io: Outbound, version = DEFAULT_DOCKER_API_VERSION): DockerClient {
    if ('socketPath' in endpoint) {
      const path = sockets.check(endpoint.socketPath, io.egress);
      return new DockerClient('http://localhost', new (undici().Agent)({ connect: { socketPath: path } }), version, io, []);
    }
    const cred = endpoint.cred;
    let url: URL;
    try {
      url = new URL(requiredField(cred, 'host'));
    } catch {
      throw credentialError(cred, 'field host is not a tcp://host:port address');
    }
    if (url.protocol !== 'tcp:' && url.protocol !== 'https:') throw credentialError(cred, 'field host must be tcp://host:port (TLS) or https://');
    const port = url.port || '2376';
    checkCredentialHost(bindingOf(cred), url.hostname, port, 'docker', io.egress);
    const key = optionalField(cred, 'key');
    const dispatcher = io.egress.tlsDispatcher({ ca: optionalField(cred, 'ca'), cert: optionalField(cred, 'cert'), key });
    return new DockerClient(`https://${url.hostname}:${port}`, dispatcher, version, io, key === undefined ? [] : [key]);
  }

  /** `/v1.43{path}`; the answer's body read up to `maxBytes` (then cut, `truncated`). */
  async request(method: 'GET' | 'POST', path: string, query: Record<string, string | number>, maxBytes = 1024 * 1024): Promise<DockerResponse> {
    const url = new URL(`${this.origin}/v${this.version}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    const target = `${method} ${url.pathname}`;
    const timeout = AbortSignal.timeout(DOCKER_TIMEOUT_MS);
    const signal = AbortSignal.any([this.io.signal, timeout]);
    try {
      const res = await undici().request(url, { method, signal, dispatcher: this.dispatcher, headers: { 'user-agent': 'iTechSmart-Workflow' }, headersTimeout: 0, bodyTimeout: 0 });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > maxBytes) {
          // One byte past the cap says there is more; closing the stream releases the socket.
          truncated = true;
          res.body.destroy();
          break;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const body = Buffer.concat(chunks).subarray(0, maxBytes);
      const out = { status: res.statusCode, headers, body, truncated };
      if (out.status >= 300) throw dockerError(out, target);
      return out;
    } catch (err) {
      if (err instanceof ItwError) throw redactError(err, this.secrets);
      if (this.io.signal.aborted) throw new ItwError('cancelled', 'request aborted', { cause: err });
      if (timeout.aborted) throw new RetryableError('timeout', `${target} timed out after ${DOCKER_TIMEOUT_MS / 1000}s`);
      const code = (err as { code?: unknown }).code;
      throw redactError(new RetryableError('network_error', `network error on Docker ${target}: ${typeof code === 'string' ? code : 'unknown'}`, { cause: err }), this.secrets);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** The Engine answers errors as `{"message": "No such container: web"}`. */
function dockerError(res: DockerResponse, target: string): ItwError {
  let message: string | undefined;
  try {
    const parsed = JSON.parse(res.body.toString('utf8')) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    message = undefined;
  }
  const text = `Docker Engine answered HTTP ${res.status} to ${target}${message ? `: ${message}` : ''}`;
  const code = res.status === 409 ? 'docker_conflict' : statusCode('docker', res.status);
  const details = { status: res.status };
  if (isRetryableStatus(res.status)) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
    return new RetryableError(code, text, retryAfterMs === undefined ? { details } : { details, retryAfterMs });
  }
  return new NonRetryableError(code, text, { details });
}

/** Runs `fn` with a client, closing its pool after. */
export async function withDocker<T>(endpoint: DockerEndpoint, sockets: DockerSocketAllowList, io: Outbound, fn: (docker: DockerClient) => Promise<T>): Promise<T> {
  const docker = DockerClient.open(endpoint, sockets, io);
  try {
    return await fn(docker);
  } finally {
    await docker.close();
  }
}
