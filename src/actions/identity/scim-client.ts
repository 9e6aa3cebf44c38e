import { baseUrlField, requiredField } from '../communication/credential-fields.js';
import { redactError } from '../communication/secrets.js';
import { asRecord, serviceError, statusCode, stringField, unexpectedResponse } from '../communication/service-http.js';
import { bindingOf } from '../http/credential-binding.js';
import { httpRequest, type HttpResponse, type Outbound } from '../http/http-client.js';
import type { ResolvedCredential } from '../../model/credentials.js';

const SCIM_TIMEOUT_MS = 30_000;
const SCIM_MAX_RESPONSE_BYTES = 1024 * 1024;
const SCIM_JSON = 'application/scim+json';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimResource = Record<string, unknown>;

/**
 * A SCIM error (RFC 7644 §3.12): `{"schemas":[".../Error"],"status":"409","scimType":"uniqueness",
 * "detail":"..."}`. The code is `scim_<scimType>` (scim_uniqueness, scim_invalid_filter...) when
 * there is one, else by HTTP status.
 */
export function scimError(res: HttpResponse): Error {
  const body = asRecord(res.body);
  const isError = Array.isArray(body?.['schemas']) && (body['schemas'] as unknown[]).includes(ERROR_SCHEMA);
  const scimType = isError ? stringField(body, 'scimType') : undefined;
  const detail = isError ? stringField(body, 'detail') : undefined;
  const code = scimType !== undefined && /^[A-Za-z]+$/.test(scimType) ? `scim_${scimType.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}` : statusCode('scim', res.status);
  return serviceError(res, { label: 'SCIM service', code, detail: detail ?? scimType });
}

/** A `scim` credential opened for one step: the service's base URL and its bearer token. */
export class ScimClient {
  private readonly baseUrl: string;
  private readonly token: string;

  constructor(private readonly cred: ResolvedCredential, private readonly io: Outbound) {
    this.baseUrl = baseUrlField(cred, 'base_url');
    this.token = requiredField(cred, 'token');
  }

  async request(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, query?: Record<string, string | number>): Promise<HttpResponse> {
    try {
      const res = await httpRequest({
        method,
        url: `${this.baseUrl}${path}`,
        ...(query ? { query } : {}),
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: `${SCIM_JSON}, application/json`,
          'user-agent': 'iTechSmart-Workflow',
          ...(body === undefined ? {} : { 'content-type': SCIM_JSON }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        responseType: 'json',
        credential: bindingOf(this.cred),
        signal: this.io.signal,
        egress: this.io.egress,
        timeoutMs: SCIM_TIMEOUT_MS,
        maxResponseBytes: SCIM_MAX_RESPONSE_BYTES,
      });
      if (res.status >= 300) throw scimError(res);
      return res;
    } catch (err) {
      throw redactError(err, [this.token]);
    }
  }

  /** POST /Users; the created resource (201). */
  async createUser(user: ScimResource): Promise<{ resource: ScimResource; location: string | undefined }> {
    const res = await this.request('POST', '/Users', user);
    const resource = asRecord(res.body);
    if (resource === undefined || stringField(resource, 'id') === undefined) throw unexpectedResponse('SCIM service', res, 'the created user\'s id');
    return { resource, location: res.headers['location'] ?? stringField(asRecord(resource['meta']), 'location') };
  }

  /** GET /Users?filter=userName eq "..." (the value as a JSON string, so quotes in it stay data). */
  async findByUserName(userName: string): Promise<ScimResource | undefined> {
    const res = await this.request('GET', '/Users', undefined, { filter: `userName eq ${JSON.stringify(userName)}`, startIndex: 1, count: 2 });
    const list = asRecord(res.body);
    const resources = Array.isArray(list?.['Resources']) ? (list['Resources'] as unknown[]).map(asRecord).filter((r) => r !== undefined) : [];
    if (resources.length > 1) throw unexpectedResponse('SCIM service', res, `a single user named ${JSON.stringify(userName)} (it found several)`);
    return resources[0];
  }

  /** PATCH /Users/{id} with a PatchOp; the updated resource (200), or undefined (204). */
  async patchUser(id: string, operations: readonly unknown[]): Promise<ScimResource | undefined> {
    const res = await this.request('PATCH', `/Users/${encodeURIComponent(id)}`, { schemas: [PATCH_OP_SCHEMA], Operations: operations });
    return asRecord(res.body);
  }
}
