// Child of heap-tuning.test.ts: start-up's small young generation (bin/itw.js), then the server's release of it.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { youngGenerationMayGrow } from '../../src/cli/heap-tuning.js';

setFlagsFromString('--semi-space-growth-factor=1');
const newSpace = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
/** Short-lived objects, as requests in flight make: enough to make V8 scavenge hundreds of times. */
function churn(): void {
  let kept: Array<{ i: number; s: string }> = [];
  for (let i = 0; i < 3_000_000; i++) {
    kept.push({ i, s: `x${i}` });
    if (kept.length > 50_000) kept = [];
  }
}
churn();
const held = newSpace();
youngGenerationMayGrow();
churn();
process.stdout.write(JSON.stringify({ held, grown: newSpace() }));
