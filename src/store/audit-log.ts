import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuditEntry {
  readonly ts: number;
  /** `api_key:<name>`, `user:<name>`, `engine`, `trigger:<type>`... */
  readonly actor: string | null;
  /** What happened, e.g. `POST /automation/workflows/:id/activate` or `execution.started`. */
  readonly action: string;
  readonly resource_type: string;
  readonly resource_id: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
}

/**
 * The append-only audit log: rows are inserted and read, never updated or deleted by the product.
 * Entries appended while a write is under way go together in the next multi-row insert (one
 * statement instead of one transaction each under load); each caller still learns only after its
 * own row is written.
 */
export class AuditLog {
  private queue: Array<{ e: AuditEntry; resolve(): void; reject(err: unknown): void }> = [];
  private writing = false;

  /** `settle`: Store.settleEffects — `execution.started` entries are journaled by the engine's commits and applied in batches. */
  constructor(private readonly db: Kysely<Database>, private readonly settle: () => Promise<void>) {}

  append(e: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ e, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, 500);
        try {
          await this.db.insertInto('audit_log')
            .values(batch.map(({ e }) => ({ ...e, details: e.details === null ? null : JSON.stringify(e.details) })))
            .execute();
          for (const b of batch) b.resolve();
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  async list(opts: { limit: number; before?: number; resource_id?: string }): Promise<Array<AuditEntry & { id: number }>> {
    await this.settle();
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    if (opts.resource_id !== undefined) q = q.where('resource_id', '=', opts.resource_id);
    const rows = await q.execute();
    return rows.map((r) => ({ ...r, details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>) }));
  }
}
