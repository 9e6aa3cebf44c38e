import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A client library loaded at its first use, not at start: an idle instance, or one whose workflows
 * never use that integration, does not pay its modules and heap (issue 14, idle RSS; the test
 * test/cli/itw-lazy-modules.test.ts keeps it so). Synchronous `require` of the package's CommonJS
 * entry, so callers keep their shape; the types come from `import type`.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
