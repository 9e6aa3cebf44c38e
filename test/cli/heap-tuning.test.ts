import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./heap-tuning-child.ts', import.meta.url));

describe('the server\'s young generation', () => {
  it('stays at its initial size through start-up, and may grow under load once the server listens', () => {
    // In a child: V8 flags are process-wide, and this worker's heap has grown already.
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const { held, grown } = JSON.parse(r.stdout) as { held: number; grown: number };
    // Held: V8's initial semi-space (1 MiB on Node 20-24) or one step above it, whatever the churn.
    expect(held).toBeLessThanOrEqual(4 * 1024 * 1024);
    // Released, the same churn grows it (to 32-64 MiB here): fewer scavenges, objects die young.
    expect(grown).toBeGreaterThanOrEqual(4 * held);
  });
});
