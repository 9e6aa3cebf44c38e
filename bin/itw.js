#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// Memory (docs/BENCHMARKS.md, "Memory (issue 14)"), both measured with no CPU cost we could see
// under the webhook load (alternating runs, same box):
// - V8's young generation doubles up to 2 × 16 MB while start-up loads ~500 modules, and at idle no
//   GC ever shrinks it back: kept at its initial size, idle RSS is ~100 MB instead of ~140 MB. Once
//   the server listens it may grow again under load (src/cli/heap-tuning.ts says why).
// - After a full GC V8 lets the old generation grow to up to 4× what survived before the next one;
//   2× keeps RSS after the W1/W2 runs at ~230 MB instead of ~320 MB.
// Launch flags (--max-semi-space-size...) cannot ride on `node bin/itw.js`; V8 reads these two at
// every GC, so they take effect when set here, before anything is loaded.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=100');

import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  console.error(err);
  process.exit(70);
});
