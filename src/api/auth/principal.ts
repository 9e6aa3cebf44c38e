import type { Role } from '../../model/roles.js';

/** Who is calling: resolved once per request by the auth hook. */
export interface Principal {
  readonly kind: 'api_key' | 'session' | 'metrics_token';
  /** Key id, user id, or `metrics`. */
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Session principals only: the token unsafe requests must echo in `x-csrf-token`. */
  readonly csrfToken?: string;
  readonly sessionId?: string;
}
