#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// V8's young generation doubles up to 2 × 16 MB while start-up loads ~500 modules (most of what it
// allocates survives), and at idle nothing allocates, so no GC ever shrinks it back: ~20-40 MB of
// idle RSS. Kept at its initial size, idle RSS of `itw serve` on SQLite is 98-120 MB instead of
// 136-141 MB, with no CPU cost we could measure under the webhook load (docs/BENCHMARKS.md, "Memory
// (issue 14)"). A launch flag (--max-semi-space-size) cannot ride on `node bin/itw.js`; V8 reads
// this one at every scavenge, so it takes effect when set before anything is loaded.
setFlagsFromString('--semi-space-growth-factor=1');

import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err);
  process.exit(70);
});
