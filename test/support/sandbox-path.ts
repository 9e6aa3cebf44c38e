import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stepSandbox, type StepSandbox } from '../../src/actions/process/sandbox-policy.js';

/**
 * A host directory sandboxed steps may use (what ITW_SANDBOX_PATHS configures): made writable for
 * the sandbox's unprivileged user; pass `sandboxOver(dir)` as the services' sandbox.
 */
export function sandboxPath(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
}

/** The sandbox service of an app whose only ITW_SANDBOX_PATHS entry is `dir` (egress guarded, as by default). */
export function sandboxOver(dir: string): StepSandbox {
  return stepSandbox({ paths: [dir] }, { egressGuarded: true });
}
