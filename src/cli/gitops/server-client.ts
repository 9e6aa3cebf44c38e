import { ItwError } from '../../model/errors.js';
import type { RemoteServerConfig } from '../../config/config.js';

export interface RemoteWorkflow {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly draft_revision: number;
}

interface Problem {
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ path?: string; message?: string }>;
}

/** The REST API of an `itw serve`, as the GitOps commands use it: one bearer key, JSON both ways. */
export class ServerClient {
  constructor(private readonly server: RemoteServerConfig) {}

  private async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.server.apiKey) h['authorization'] = `Bearer ${this.server.apiKey}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.server.url}${path}`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ItwError('unavailable', `cannot reach ${this.server.url} (ITW_URL): ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (res.ok) return parsed;
    const p = (parsed ?? {}) as Problem;
    const fields = (p.errors ?? []).map((e) => `${e.path ?? ''}: ${e.message ?? ''}`).join('; ');
    const hint = res.status === 401 ? ' (set ITW_API_KEY)' : res.status === 403 ? ' (the API key\'s role may not do this: pushing takes an editor key)' : '';
    throw new ItwError(res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : 'bad_request',
      `${method} ${path}: HTTP ${res.status} ${p.detail ?? p.title ?? ''}${fields ? ` [${fields}]` : ''}${hint}`);
  }

  async list(): Promise<RemoteWorkflow[]> {
    const out: RemoteWorkflow[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = (await this.call('GET', `/automation/workflows?limit=500&offset=${offset}`)) as { items: RemoteWorkflow[]; total: number };
      out.push(...page.items);
      if (page.items.length === 0 || out.length >= page.total) return out;
    }
  }

  /** The draft as a definition document (secrets as `$vault:` references). */
  async definition(id: string): Promise<Record<string, unknown>> {
    return (await this.call('GET', `/automation/workflows/${encodeURIComponent(id)}/export?format=json`)) as Record<string, unknown>;
  }

  async create(definition: unknown): Promise<RemoteWorkflow> {
    return (await this.call('POST', '/automation/workflows/import', definition)) as RemoteWorkflow;
  }

  /** Replaces the draft in one request, refused (409) when it changed since `revision` was read. */
  async replace(id: string, revision: number, definition: Record<string, unknown>): Promise<RemoteWorkflow> {
    return (await this.call('PUT', `/automation/workflows/${encodeURIComponent(id)}`, definition, { 'if-match': `"${revision}"` })) as RemoteWorkflow;
  }

  async activate(id: string): Promise<{ active_version: number | null }> {
    return (await this.call('POST', `/automation/workflows/${encodeURIComponent(id)}/activate`)) as { active_version: number | null };
  }

  async remove(id: string): Promise<void> {
    await this.call('DELETE', `/automation/workflows/${encodeURIComponent(id)}`);
  }
}
