import { bindingOf } from '../http/credential-binding.js';
import { httpRequest, type HttpResponse, type Outbound } from '../http/http-client.js';
import { asRecord, serviceError, statusCode, unexpectedResponse } from '../communication/service-http.js';
import { baseUrlField, optionalField, requiredField } from '../communication/credential-fields.js';
import type { ResolvedCredential } from '../../model/credentials.js';

/** Vault answers from memory or its storage backend; 30 s is a sealed or overloaded cluster. */
const VAULT_TIMEOUT_MS = 30_000;
/** A KV entry is limited by the storage backend (Consul: 512 KiB, integrated storage: 1 MiB by default). */
const VAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** A `vault` credential opened for one step. */
export interface VaultTarget {
  readonly address: string;
  readonly token: string;
  readonly namespace: string | undefined;
  readonly cred: ResolvedCredential;
}

export function vaultTarget(cred: ResolvedCredential): VaultTarget {
  return { address: baseUrlField(cred, 'address'), token: requiredField(cred, 'token'), namespace: optionalField(cred, 'namespace'), cred };
}

export interface KvSecret {
  readonly data: Readonly<Record<string, unknown>>;
  readonly version: number | undefined;
  readonly created_time: string | undefined;
}

/**
 * Vault errors come as `{"errors": ["permission denied"]}`; a missing secret is a 404 with an empty
 * list, and a deleted version a 404 whose `data.metadata.deletion_time` is set.
 */
function vaultDetail(res: HttpResponse): string | undefined {
  const body = asRecord(res.body);
  const errors = Array.isArray(body?.['errors']) ? (body['errors'] as unknown[]).filter((e): e is string => typeof e === 'string') : [];
  if (errors.length > 0) return errors.join('; ');
  const deleted = asRecord(asRecord(asRecord(body?.['data'])?.['metadata']))?.['deletion_time'];
  if (res.status === 404 && typeof deleted === 'string' && deleted !== '') return `this version was deleted at ${deleted}`;
  if (res.status === 404) return 'no secret at this path (or no KV v2 mount by this name)';
  return undefined;
}

/** KV v2 read: GET /v1/{mount}/data/{path}[?version=N] with X-Vault-Token (and X-Vault-Namespace). */
export async function readKvSecret(target: VaultTarget, mount: string, path: string, version: number | undefined, io: Outbound): Promise<KvSecret> {
  const res = await httpRequest({
    method: 'GET',
    url: `${target.address}/v1/${encodePath(mount)}/data/${encodePath(path)}`,
    ...(version === undefined ? {} : { query: { version } }),
    headers: {
      accept: 'application/json',
      'x-vault-token': target.token,
      ...(target.namespace === undefined ? {} : { 'x-vault-namespace': target.namespace }),
    },
    credential: bindingOf(target.cred),
    signal: io.signal,
    egress: io.egress,
    timeoutMs: VAULT_TIMEOUT_MS,
    maxResponseBytes: VAULT_MAX_RESPONSE_BYTES,
  });
  if (res.status >= 300) throw serviceError(res, { label: 'Vault', code: statusCode('vault', res.status), detail: vaultDetail(res) });
  const outer = asRecord(asRecord(res.body)?.['data']);
  const data = asRecord(outer?.['data']);
  if (data === undefined) throw unexpectedResponse('Vault', res, 'data.data (is the mount a KV version 2 engine?)');
  const metadata = asRecord(outer?.['metadata']);
  const v = metadata?.['version'];
  const created = metadata?.['created_time'];
  return { data, version: typeof v === 'number' ? v : undefined, created_time: typeof created === 'string' ? created : undefined };
}

/** Each segment percent-encoded, the slashes kept (KV paths nest: `apps/payments/db`). */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
