import type * as Undici from 'undici';
import { lazyModule } from '../lazy-module.js';

/**
 * undici, required at the first outbound HTTP connection rather than imported at start: it is
 * ~110 modules and ~5 MB of heap that an idle instance, or one whose workflows make no HTTP calls,
 * never uses (issue 14, idle RSS). Synchronous, so the egress guard's connector and dispatcher keep
 * their synchronous shape; the package is CommonJS, so this is the same instance `import` would load.
 */
export const undici = lazyModule<typeof Undici>('undici');
