import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // PostgreSQL-backed suites share one server; files run in parallel workers but each suite uses its own schema.
    pool: 'forks',
  },
});
