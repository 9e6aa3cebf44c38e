import { createRequire } from 'node:module';

const cache = (createRequire(import.meta.url)('node:module') as { _cache: Record<string, unknown> })._cache;

/** The npm packages this process has loaded so far: CommonJS ones only (require's cache), sorted. */
export function loadedPackageNames(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(cache)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}
