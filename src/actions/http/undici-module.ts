import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);
let loaded: typeof Undici | undefined;

/**
 * undici, required at the first outbound HTTP connection rather than imported at start: it is
 * ~110 modules and ~5 MB of heap that an idle instance, or one whose workflows make no HTTP calls,
 * never uses (issue 14, idle RSS). Synchronous, so the egress guard's connector and dispatcher keep
 * their synchronous shape; the package is CommonJS, so this is the same instance `import` would load.
 */
export function undici(): typeof Undici {
  loaded ??= require('undici') as typeof Undici;
  return loaded;
}
