import type { Dispatcher } from 'undici';
import { credentialError } from '../communication/credential-fields.js';
import { redactError } from '../communication/secrets.js';
import { asRecord, serviceError, statusCode, stringField, unexpectedResponse } from '../communication/service-http.js';
import { bindingOf } from '../http/credential-binding.js';
import { httpRequest, type HttpResponse, type Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import { KubeconfigError, kubeTarget, type KubeTarget } from '../../model/kubeconfig.js';

/** The API server answers reads and patches in milliseconds; 30 s is an overloaded control plane. */
const K8S_TIMEOUT_MS = 30_000;
/** A list page of 100 objects with their managed fields stays well under this. */
const K8S_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type KubeObject = Record<string, unknown>;

export interface KubeRequest {
  readonly method: 'GET' | 'PATCH';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean>;
  readonly body?: unknown;
  /** application/strategic-merge-patch+json, application/merge-patch+json... */
  readonly contentType?: string;
  /** Logs come as text/plain. @default 'json' */
  readonly responseType?: 'json' | 'text';
  readonly maxResponseBytes?: number;
}

/** A log request's error answer is read as text; it is still a Status object. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `NotFound` → `not_found`. */
function snake(reason: string): string {
  return reason.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * The API server fails with a Status object: `{"kind":"Status","status":"Failure","message":...,
 * "reason":"NotFound","code":404}`; the code is `kubernetes_<reason>` (kubernetes_not_found,
 * kubernetes_conflict, kubernetes_forbidden...), by HTTP status when there is no reason.
 */
export function kubeError(res: HttpResponse): Error {
  const body = asRecord(typeof res.body === 'string' ? parseJson(res.body) : res.body);
  const reason = body?.['kind'] === 'Status' ? stringField(body, 'reason') : undefined;
  const message = body?.['kind'] === 'Status' ? stringField(body, 'message') : typeof res.body === 'string' ? res.body.trim().slice(0, 300) : undefined;
  const code = reason !== undefined && /^[A-Za-z]+$/.test(reason) ? `kubernetes_${snake(reason)}` : statusCode('kubernetes', res.status);
  return serviceError(res, { label: 'Kubernetes API', code, detail: message || undefined });
}

/**
 * One `kubernetes` credential opened for one step: the kubeconfig's server, CA and user, a pool
 * that dials under the egress policy with that TLS material, and the credential's host binding.
 * Close it when the step is done.
 */
export class KubeClient {
  private constructor(
    readonly target: KubeTarget,
    private readonly cred: ResolvedCredential,
    private readonly io: Outbound,
    private readonly dispatcher: Dispatcher | undefined,
  ) {}

  static open(cred: ResolvedCredential, io: Outbound): KubeClient {
    const kubeconfig = cred.data['kubeconfig'] ?? '';
    let target: KubeTarget;
    try {
      target = kubeTarget(kubeconfig, cred.data['context'] || undefined);
    } catch (err) {
      if (err instanceof KubeconfigError) throw credentialError(cred, err.message);
      throw err;
    }
    if (target.token === undefined && (target.clientCert === undefined || target.clientKey === undefined)) {
      throw credentialError(cred, 'kubeconfig user has neither token nor client-certificate-data and client-key-data');
    }
    const tls = target.ca !== undefined || target.clientCert !== undefined;
    const dispatcher = tls ? io.egress.tlsDispatcher({ ca: target.ca, cert: target.clientCert, key: target.clientKey }) : undefined;
    return new KubeClient(target, cred, io, dispatcher);
  }

  /** The kubeconfig context's namespace, else `default` (as kubectl). */
  namespace(given: string | undefined): string {
    return given ?? this.target.namespace ?? 'default';
  }

  /** Secret values to mask in whatever a step throws. */
  get secrets(): string[] {
    return [this.target.token, this.target.clientKey].filter((s): s is string => s !== undefined);
  }

  async request(req: KubeRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: req.responseType === 'text' ? 'text/plain, */*' : 'application/json', 'user-agent': 'iTechSmart-Workflow' };
    if (this.target.token !== undefined) headers['authorization'] = `Bearer ${this.target.token}`;
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    try {
      const res = await httpRequest({
        method: req.method,
        url: `${this.target.server}${req.path}`,
        headers,
        ...(req.query ? { query: req.query } : {}),
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        responseType: req.responseType ?? 'json',
        credential: bindingOf(this.cred),
        signal: this.io.signal,
        egress: this.io.egress,
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
        timeoutMs: K8S_TIMEOUT_MS,
        maxResponseBytes: req.maxResponseBytes ?? K8S_MAX_RESPONSE_BYTES,
      });
      if (res.status >= 300) throw kubeError(res);
      return res;
    } catch (err) {
      throw redactError(err, this.secrets);
    }
  }

  /** A JSON object answer (get, patch). */
  async object(req: KubeRequest): Promise<KubeObject> {
    const res = await this.request(req);
    const body = asRecord(res.body);
    if (body === undefined) throw unexpectedResponse('Kubernetes API', res, 'a JSON object');
    return body;
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}

/** Runs `fn` with a client for `cred`, closing its pool after. */
export async function withKube<T>(cred: ResolvedCredential, io: Outbound, fn: (kube: KubeClient) => Promise<T>): Promise<T> {
  const kube = KubeClient.open(cred, io);
  try {
    return await fn(kube);
  } finally {
    await kube.close();
  }
}
