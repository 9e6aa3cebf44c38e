import { probeSandbox } from './sandbox-probe.js';
import type { SandboxPolicy } from './sandbox-policy.js';

/**
 * What to warn about at start (once): steps that run code on this host will fail because the
 * sandbox cannot be set up, or, worse, will run without it because ITW_UNSANDBOXED_STEPS says so.
 * undefined when the sandbox works.
 */
export function sandboxStartupWarning(policy: SandboxPolicy): string | undefined {
  const probe = probeSandbox();
  if (probe.ok) return undefined;
  if (policy.unsandboxed) {
    return `UNSANDBOXED STEPS: ${probe.reason}; ITW_UNSANDBOXED_STEPS=true runs script nodes, run_script, local commands and deploy/test commands ` +
      'with the server\'s own user and file access (its data dir and keys included): any workflow editor can take over this server';
  }
  return `steps that run code on this host (script nodes, run_script, local execute_command, deploy/test commands) will fail with sandbox_unavailable: ${probe.reason}`;
}
