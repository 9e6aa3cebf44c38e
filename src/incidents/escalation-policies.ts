import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { newId } from '../model/ids.js';
import { invalidInput, policyNotFound } from './incident-errors.js';
import { toPolicy } from './incident-rows.js';
import type { Database } from '../store/schema.js';
import { TARGET_TYPES, type EscalationPolicy } from './incident-types.js';

/** Bounds follow PagerDuty's: at least a minute between levels (no paging storms), at most 9 repeats. */
export const EscalationPolicyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    levels: Type.Array(
      Type.Object(
        {
          delay_minutes: Type.Integer({ minimum: 1, maximum: 10_080, description: 'Minutes before the next level is paged' }),
          targets: Type.Array(
            Type.Object(
              {
                type: Type.Union(TARGET_TYPES.map((t) => Type.Literal(t))),
                value: Type.String({ minLength: 1 }),
                credential_id: Type.Optional(Type.String({ minLength: 1 })),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 50 },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    repeat: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'Extra rounds after the last level. @default 0' })),
  },
  { additionalProperties: false },
);
export type EscalationPolicyInput = Static<typeof EscalationPolicyInput>;

function check(input: unknown): EscalationPolicyInput {
  const error = Value.Errors(EscalationPolicyInput, input).First();
  if (error) throw invalidInput('invalid_policy', `escalation policy ${error.path || '/'}: ${error.message}`, error.path);
  return input as EscalationPolicyInput;
}

/** Escalation policies: plain rows; a change applies to the timers that fire after it. */
export class EscalationPolicies {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  async create(input: EscalationPolicyInput): Promise<EscalationPolicy> {
    const p = check(input);
    await this.assertNameFree(p.name);
    const at = this.now();
    const row = {
      id: newId('esc', at),
      name: p.name,
      description: p.description ?? null,
      levels: JSON.stringify(p.levels),
      repeat: p.repeat ?? 0,
      created_at: at,
      updated_at: at,
    };
    await this.db.insertInto('escalation_policies').values(row).execute();
    return toPolicy(row);
  }

  async get(id: string): Promise<EscalationPolicy | undefined> {
    const row = await this.db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPolicy(row) : undefined;
  }

  async list(): Promise<EscalationPolicy[]> {
    const rows = await this.db.selectFrom('escalation_policies').selectAll().orderBy('name').execute();
    return rows.map(toPolicy);
  }

  /** Replaces the policy (PUT semantics). */
  async replace(id: string, input: EscalationPolicyInput): Promise<EscalationPolicy> {
    const p = check(input);
    await this.assertNameFree(p.name, id);
    const row = await this.db
      .updateTable('escalation_policies')
      .set({ name: p.name, description: p.description ?? null, levels: JSON.stringify(p.levels), repeat: p.repeat ?? 0, updated_at: this.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw policyNotFound(id);
    return toPolicy(row);
  }

  /** Names are unique: policies are picked by name in the editor. */
  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const row = await this.db.selectFrom('escalation_policies').select('id').where('name', '=', name).executeTakeFirst();
    if (row && row.id !== exceptId) throw invalidInput('invalid_policy', `an escalation policy named ${name} exists`, '/name');
  }

  /** Incidents keep running without it: their pending timers find no policy and stop. */
  async delete(id: string): Promise<void> {
    const res = await this.db.deleteFrom('escalation_policies').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw policyNotFound(id);
  }
}
