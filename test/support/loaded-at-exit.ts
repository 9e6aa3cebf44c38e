/**
 * Preloaded into a short-lived child `itw` process (`node --import tsx --import
 * test/support/loaded-at-exit.ts`): at exit, writes the npm packages it loaded (CommonJS, from
 * require's cache) to the file named by ITW_TEST_LOADED_FILE, one per line.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const cache = (createRequire(import.meta.url)('node:module') as { _cache: Record<string, unknown> })._cache;
const out = process.env['ITW_TEST_LOADED_FILE'];

process.on('exit', () => {
  if (out === undefined) return;
  const names = new Set<string>();
  for (const file of Object.keys(cache)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (m) names.add(m[1]!);
  }
  writeFileSync(out, [...names].sort().join('\n'));
});
