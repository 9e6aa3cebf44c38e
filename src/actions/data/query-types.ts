export interface QueryRequest {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly maxRows: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface QueryField {
  readonly name: string;
  /** The database's type name where the driver gives one, else null. */
  readonly type: string | null;
}

export interface QueryOutcome {
  readonly rows: Record<string, unknown>[];
  readonly fields: QueryField[];
  /** More rows existed than `maxRows`; they were not fetched. */
  readonly truncated: boolean;
  /** Rows changed by INSERT/UPDATE/DELETE. */
  readonly affected_rows?: number;
}

/** Connecting may take at most this long, whatever the query's own budget. */
export const CONNECT_TIMEOUT_MS = 10_000;
