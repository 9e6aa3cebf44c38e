import { createHash } from 'node:crypto';
import type { ApiKeyRepository } from '../../store/api-key-repository.js';
import type { Principal } from './principal.js';

const TTL_MS = 10_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolved API keys for a few seconds, so a busy client costs one hash and a map lookup per request
 * instead of a query. Revocation through this process clears the cache at once; another process sees
 * it within TTL_MS. Unknown keys are not cached (a flood of random keys must not grow memory).
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly onTouchError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(key: string): Promise<Principal | undefined> {
    const hash = createHash('sha256').update(key).digest('hex');
    const at = this.now();
    const hit = this.entries.get(hash);
    if (hit && hit.until > at) return hit.principal;
    const record = await this.keys.findByKey(key);
    if (!record) {
      this.entries.delete(hash);
      return undefined;
    }
    const principal: Principal = { kind: 'api_key', id: record.id, name: record.name, role: record.role };
    this.entries.set(hash, { principal, until: at + TTL_MS });
    if (at - (this.touched.get(record.id) ?? 0) >= TOUCH_EVERY_MS) {
      this.touched.set(record.id, at);
      this.keys.touch(record.id, at).catch(this.onTouchError);
    }
    return principal;
  }

  clear(): void {
    this.entries.clear();
  }
}
