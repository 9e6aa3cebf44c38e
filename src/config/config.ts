import { homedir } from 'node:os';
import { join } from 'node:path';

/** Every ITW_* environment variable is read here and nowhere else. */
export interface Config {
  /** ITW_DATA_DIR: where the embedded SQLite database and key files live. @default ~/.itw */
  readonly dataDir: string;
  /** ITW_DATABASE_URL: `postgres://...` switches the store to PostgreSQL. @default undefined (SQLite in dataDir) */
  readonly databaseUrl: string | undefined;
  /** ITW_LOG_LEVEL: pino level for the server and CLI logs. @default 'info' */
  readonly logLevel: string;
  /** ITW_LEASE_MS: how long a running step's lease lasts before another worker may take it over. @default 60000 */
  readonly leaseMs: number;
  /** ITW_MAX_CONCURRENT_STEPS: step handlers (HTTP calls, actions) running at once in one process. @default 256 */
  readonly maxConcurrentSteps: number;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  return {
    dataDir: overrides.dataDir ?? env['ITW_DATA_DIR'] ?? join(homedir(), '.itw'),
    databaseUrl: overrides.databaseUrl ?? (env['ITW_DATABASE_URL'] || undefined),
    logLevel: overrides.logLevel ?? env['ITW_LOG_LEVEL'] ?? 'info',
    leaseMs: overrides.leaseMs ?? intFrom(env, 'ITW_LEASE_MS', 60_000),
    maxConcurrentSteps: overrides.maxConcurrentSteps ?? intFrom(env, 'ITW_MAX_CONCURRENT_STEPS', 256),
  };
}
