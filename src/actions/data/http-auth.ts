import type { CredentialResolver } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import { bindingOf, type CredentialBinding } from '../http/credential-binding.js';

export const HTTP_CREDENTIAL_TYPES = ['http_bearer', 'http_basic', 'http_header'] as const;

/** Header name as RFC 9110 `token`: a value from a credential must not smuggle in another header. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function field(data: Readonly<Record<string, string>>, name: string, id: string, type: string): string {
  const value = data[name];
  if (value === undefined || value === '') {
    throw new NonRetryableError('invalid_credential', `${type} credential ${id} has no ${name}`);
  }
  return value;
}

/** A credential's headers and the hosts they may be sent to (pass both to httpRequest). */
export interface HttpAuth {
  readonly headers: Record<string, string>;
  readonly credential: CredentialBinding;
}

/** `httpRequest` options for an optional credential: its headers and its host binding. */
export async function httpAuth(credentials: CredentialResolver, id: string | undefined): Promise<HttpAuth | undefined> {
  if (id === undefined) return undefined;
  const cred = await credentials.get(id, HTTP_CREDENTIAL_TYPES);
  return { headers: headersOf(cred.type, cred.data, id), credential: bindingOf(cred) };
}

/**
 * The request headers an HTTP credential stands for: `http_bearer {token}`, `http_basic
 * {username, password}`, `http_header {name, value}`. Errors name the credential, never its values.
 */
function headersOf(type: string, data: Readonly<Record<string, string>>, id: string): Record<string, string> {
  switch (type) {
    case 'http_bearer':
      return { authorization: `Bearer ${field(data, 'token', id, type)}` };
    case 'http_basic': {
      const pair = `${field(data, 'username', id, type)}:${data['password'] ?? ''}`;
      return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
    }
    case 'http_header': {
      const name = field(data, 'name', id, type);
      if (!HEADER_NAME.test(name)) throw new NonRetryableError('invalid_credential', `http_header credential ${id} has an invalid header name`);
      return { [name.toLowerCase()]: field(data, 'value', id, type) };
    }
    default:
      throw new NonRetryableError('invalid_credential', `credential ${id} is of type ${type}, expected one of ${HTTP_CREDENTIAL_TYPES.join(', ')}`);
  }
}
