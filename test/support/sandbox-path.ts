import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSandboxPolicy } from '../../src/actions/process/sandbox-policy.js';

/**
 * A host directory sandboxed steps may use (what ITW_SANDBOX_PATHS configures): made writable for
 * the sandbox's unprivileged user and set as this test file's only sandbox path.
 */
export function sandboxPath(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  setSandboxPolicy({ paths: [dir] });
  return dir;
}
