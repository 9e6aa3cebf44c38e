import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';
import type { ProblemItem } from './types';

/** An API answer that was not 2xx: the problem+json body (docs/API.md "Errors"), kept whole. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: readonly ProblemItem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedListener = () => void;
type Problem = Partial<components['schemas']['Problem']>;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one way the UI talks to the server: the client generated from the API's OpenAPI document
 * (openapi.d.ts, kept equal to GET /openapi.json by test/api/openapi-contract.test.ts), same origin,
 * the session cookie, and the CSRF token on unsafe methods. Holds the token in memory only (it comes
 * back from GET /auth/me after a reload).
 */
export class ApiClient {
  private csrf: string | undefined;
  private readonly unauthorized = new Set<UnauthorizedListener>();

  /** The typed client: every endpoint call in endpoints.ts goes through it. */
  readonly http: Client<paths>;

  /** `baseUrl` and `fetch` are for tests outside a browser; the app uses the page's origin and fetch. */
  constructor(options: { readonly baseUrl?: string; readonly fetch?: typeof fetch } = {}) {
    this.http = createClient<paths>({ ...options, credentials: 'same-origin', headers: { accept: 'application/json' } });
    const session: Middleware = {
      onRequest: ({ request }) => {
        if (UNSAFE.has(request.method) && this.csrf) request.headers.set('x-csrf-token', this.csrf);
        return request;
      },
      onResponse: ({ response, schemaPath }) => {
        // A wrong password at the login form is not the end of a session.
        if (response.status === 401 && schemaPath !== '/auth/login') for (const l of this.unauthorized) l();
        return undefined;
      },
    };
    this.http.use(session);
  }

  setCsrfToken(token: string | undefined): void {
    this.csrf = token;
  }

  /** Called when a request answers 401: the session ended, so the app shows the login page. */
  onUnauthorized(listener: UnauthorizedListener): () => void {
    this.unauthorized.add(listener);
    return () => this.unauthorized.delete(listener);
  }
}

export const api = new ApiClient();

/** What an openapi-fetch call resolves to: the 2xx body as data, or the problem body as error. */
interface Answer<D> {
  readonly data?: D;
  readonly error?: unknown;
  readonly response: Response;
}

/** The 2xx body of a generated-client call; a non-2xx answer throws its problem+json as an ApiError. */
export async function ok<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  const p: Problem = error !== null && typeof error === 'object' ? error : {};
  const where = response.url ? new URL(response.url).pathname : 'the request';
  const message = p.detail ?? p.title ?? `${where} answered ${response.status}`;
  throw new ApiError(response.status, p.code ?? `http_${response.status}`, message, p.errors ?? []);
}

/** The query values that are set: empty form fields are left out rather than sent as `?q=`. */
export function query<T extends object>(params: T): T {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
}

/** A message for people from whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const first = err.problems.slice(0, 3).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
    return first.length > 0 ? `${err.message} — ${first.join('; ')}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
