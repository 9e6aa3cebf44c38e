/**
 * Preloaded into a child `itw` process (`node --import tsx --import test/support/loaded-packages.ts`):
 * answers the IPC message 'loaded-packages' with the npm packages the process has loaded so far.
 * CommonJS packages only (require's cache), which every heavy integration library is.
 */
import { createRequire } from 'node:module';

const cache = (createRequire(import.meta.url)('node:module') as { _cache: Record<string, unknown> })._cache;

function loadedPackages(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(cache)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

process.on('message', (msg) => {
  if (msg === 'loaded-packages') process.send?.(loadedPackages());
});
// The channel must not keep the process alive: `itw serve` still exits on SIGTERM.
process.channel?.unref();
