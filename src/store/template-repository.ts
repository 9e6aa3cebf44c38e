import type { Kysely } from 'kysely';
import type { WorkflowDefinition } from '../model/types.js';
import type { Database, WorkflowTemplatesTable } from './schema.js';

export interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly category: string | null;
  readonly tags: readonly string[];
  readonly builtin: boolean;
  readonly definition: WorkflowDefinition;
}

/** Workflow templates: the built-in ones are re-synced from files at every start. */
export class TemplateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(filter: { category?: string } = {}): Promise<TemplateRecord[]> {
    let q = this.db.selectFrom('workflow_templates').selectAll();
    if (filter.category) q = q.where('category', '=', filter.category);
    return (await q.orderBy('name').orderBy('id').execute()).map(toRecord);
  }

  async get(id: string): Promise<TemplateRecord | undefined> {
    const row = await this.db.selectFrom('workflow_templates').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('workflow_templates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Makes the built-in rows exactly `templates`: upserts each, deletes built-ins no longer shipped. */
  async syncBuiltins(templates: readonly { id: string; definition: WorkflowDefinition }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const keep = templates.map((t) => t.id);
      let del = trx.deleteFrom('workflow_templates').where('builtin', '=', 1);
      if (keep.length > 0) del = del.where('id', 'not in', keep);
      await del.execute();
      for (const t of templates) {
        const d = t.definition;
        const row = {
          name: d.name, description: d.description ?? null, category: d.category ?? null, tags: JSON.stringify(d.tags ?? []),
          definition: JSON.stringify(d), builtin: 1 as const,
        };
        await trx.insertInto('workflow_templates').values({ id: t.id, ...row }).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      }
    });
  }
}

function toRecord(r: WorkflowTemplatesTable): TemplateRecord {
  return {
    id: r.id, name: r.name, description: r.description, category: r.category,
    tags: r.tags === null ? [] : (JSON.parse(r.tags) as string[]), builtin: r.builtin === 1,
    definition: JSON.parse(r.definition) as WorkflowDefinition,
  };
}
