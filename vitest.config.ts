import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // PostgreSQL-backed suites share one server; files run in parallel workers but each suite uses its own schema.
    pool: 'forks',
    // At least two files at once. Vitest's default (one worker fewer than the cores) ran one file at a
    // time on the 2-core CI machine, though most files spend much of their time waiting on servers,
    // child processes and timers: two workers took the suite from ~550 s to ~320 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Each worker keeps its modules from one test file to the next. The suite is CPU-bound on a
    // 2-core box, and re-importing the app for every one of ~260 files was 40 % of its CPU time
    // (test/api: 82 s → 38 s; whole suite 770 s → 463 s). Test files share no module state they rely
    // on: every test builds its own app, store and ports (ctx.services), none mocks a module.
    isolate: false,
  },
});
