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

  /** A route that does not exist (yet) on this server: pages show an empty state, not an error. */
  get isMissingRoute(): boolean {
    return this.status === 404 && /no route/i.test(this.message);
  }
}

type UnauthorizedListener = () => void;

/**
 * The one way the UI talks to the server: same origin, the session cookie, and the CSRF token on
 * unsafe methods. Holds the token in memory only (it comes back from GET /auth/me after a reload).
 */
class ApiClient {
  private csrf: string | undefined;
  private readonly unauthorized = new Set<UnauthorizedListener>();

  setCsrfToken(token: string | undefined): void {
    this.csrf = token;
  }

  /** Called when a request answers 401: the session ended, so the app shows the login page. */
  onUnauthorized(listener: UnauthorizedListener): () => void {
    this.unauthorized.add(listener);
    return () => this.unauthorized.delete(listener);
  }

  async request<T>(method: string, path: string, body?: unknown, init: { headers?: Record<string, string>; raw?: string; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers['x-csrf-token'] = this.csrf;
    let payload: string | undefined = init.raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(path, { method, headers, credentials: 'same-origin', body: payload ?? null, signal: init.signal ?? null });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const p = (parsed ?? {}) as { code?: string; detail?: string; title?: string; errors?: ProblemItem[] };
      if (res.status === 401 && !path.startsWith('/auth/login')) for (const l of this.unauthorized) l();
      throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? p.title ?? `${method} ${path} answered ${res.status}`, p.errors ?? []);
    }
    return parsed as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal ? { signal } : {});
  }

  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('POST', path, body, headers ? { headers } : {});
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path);
  }
}

export const api = new ApiClient();

/** A query string from the defined values (arrays repeat the key). */
export function qs(params: Record<string, string | number | readonly string[] | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) sp.append(k, x);
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** A message for people from whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const first = err.problems.slice(0, 3).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
    return first.length > 0 ? `${err.message} — ${first.join('; ')}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
