/**
 * Test configuration, read here and nowhere else (product config lives in src/config/):
 *
 * - `ITW_TEST_DIALECTS`: which store dialects the dialect-looped suites run on, comma-separated:
 *   `sqlite`, `postgres` or `sqlite,postgres` (the default). A contributor without PostgreSQL sets
 *   `ITW_TEST_DIALECTS=sqlite`; suites that are PostgreSQL-only by nature still need it (README).
 * - `ITW_TEST_DATABASE_URL`: the PostgreSQL the tests use. @default postgres://root@127.0.0.1:5432/test
 */
export type DialectName = 'sqlite' | 'postgres';

const ALL: readonly DialectName[] = ['sqlite', 'postgres'];

export const POSTGRES_URL = process.env['ITW_TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

/** Refuses an unknown or empty list loudly: a typo must not quietly run nothing. */
export function parseDialects(raw: string | undefined): readonly DialectName[] {
  if (raw === undefined || raw.trim() === '') return ALL;
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const unknown = names.filter((s) => !(ALL as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`ITW_TEST_DIALECTS: unknown dialect ${unknown.join(', ')} (use sqlite, postgres or sqlite,postgres)`);
  return ALL.filter((d) => names.includes(d));
}

/** The dialects the dialect-looped suites (store conformance, engine semantics, API...) run on, in a fixed order. */
export const SELECTED_DIALECTS: readonly DialectName[] = parseDialects(process.env['ITW_TEST_DIALECTS']);
