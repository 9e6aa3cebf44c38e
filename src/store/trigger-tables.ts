/**
 * Rows of migration 021 (debounced trigger events held in the database); part of the one
 * `Database` type (schema.ts). Type aliases, not interfaces: Kysely's table maps need an implicit index signature.
 */

/** The last event of a trigger's debounced burst; epoch ms as numbers. */
export type TriggerHeldFiringsTable = {
  trigger_id: string;
  /** JSON text: the event's input. */
  input: string;
  firing_key: string | null;
  due_at: number;
  held_at: number;
};

export type TriggerTables = {
  trigger_held_firings: TriggerHeldFiringsTable;
};
