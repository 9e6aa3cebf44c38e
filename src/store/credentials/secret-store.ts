import type { Kysely } from 'kysely';
import type { Redactor } from '../../engine/redactor.js';
import { newId } from '../../model/ids.js';
import { secretRef, secretRefId, type SecretKeeper } from '../../model/secret-ref.js';
import type { Database } from '../schema.js';
import { keyId, open, seal } from './secret-box.js';

/**
 * The vault's non-credential secrets: sealed per workflow, handed out by reference. Every value it
 * seals or opens is registered with the redactor, so whatever echoes it is stored redacted.
 */
export class SecretStore implements SecretKeeper {
  private readonly keyId: string;
  /** Opened values by `owner ref`: ingress and steps resolve the same few refs over and over. */
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: Buffer,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {
    this.keyId = keyId(key);
  }

  async seal(owner: string, value: unknown): Promise<string> {
    const id = newId('sec');
    const sealed = seal(this.key, JSON.stringify(value), `${id}:${owner}`);
    await this.db.insertInto('vault_secrets').values({ id, owner, sealed, key_id: this.keyId, created_at: this.now() }).execute();
    this.remember(owner, secretRef(id), value);
    return secretRef(id);
  }

  async open(owner: string, ref: string): Promise<unknown> {
    const hit = this.cache.get(`${owner} ${ref}`);
    if (hit !== undefined) return hit;
    const id = secretRefId(ref);
    if (id === undefined) return undefined;
    const row = await this.db.selectFrom('vault_secrets').select(['sealed', 'owner']).where('id', '=', id).executeTakeFirst();
    // A reference copied into another workflow (import, a pasted definition) resolves to nothing there.
    if (!row || row.owner !== owner) return undefined;
    const value = JSON.parse(open(this.key, row.sealed, `${id}:${owner}`)) as unknown;
    this.remember(owner, ref, value);
    return value;
  }

  private remember(owner: string, ref: string, value: unknown): void {
    if (typeof value === 'string') this.redactor.add(value);
    else if (value !== null && value !== undefined) this.redactor.add(JSON.stringify(value));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(`${owner} ${ref}`, value);
  }
}
