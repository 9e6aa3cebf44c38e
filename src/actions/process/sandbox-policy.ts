/**
 * Server policy for sandboxed steps, set once from config by the composition root (app.ts).
 * Module-level on purpose, like the service allow-list: it is the operator's policy, not workflow
 * data, so nothing a workflow passes can widen it. The defaults are the safe ones, so code that
 * never calls setSandboxPolicy (tests, embedding) still runs steps sandboxed.
 */
export interface SandboxPolicy {
  /** The server's data dir: never visible inside a sandbox, even below a configured path. */
  readonly dataDir: string | undefined;
  /** ITW_UNSANDBOXED_STEPS: run steps without the sandbox when it cannot be set up. */
  readonly unsandboxed: boolean;
  /**
   * ITW_SCRIPT_NETWORK: `guarded` lets a step that asks for network share the host network only
   * while the egress guard is off; `host` lets it share the host network anyway (residual risk:
   * such a step can reach what the server can reach, past the egress policy).
   */
  readonly network: 'guarded' | 'host';
  /** ITW_SANDBOX_PATHS: host directories visible (read-write, as the sandbox user) to sandboxed steps. */
  readonly paths: readonly string[];
}

/** What a refused step looks like to the audit log. */
export interface SandboxRefusal {
  readonly code: string;
  readonly message: string;
  /** The step's idempotency key (`<execution>:<node>:<attempt>…`) when the caller knows it. */
  readonly step: string | undefined;
}

const DEFAULT_POLICY: SandboxPolicy = { dataDir: undefined, unsandboxed: false, network: 'guarded', paths: [] };
let policy: SandboxPolicy = DEFAULT_POLICY;
let refusalListener: ((r: SandboxRefusal) => void) | undefined;

export function setSandboxPolicy(next: Partial<SandboxPolicy> | undefined): void {
  policy = { ...DEFAULT_POLICY, ...next };
}

export function sandboxPolicy(): SandboxPolicy {
  return policy;
}

/** Where refusals go (the audit log, wired by app.ts); undefined = nowhere but the step's error. */
export function onSandboxRefusal(listener: ((r: SandboxRefusal) => void) | undefined): void {
  refusalListener = listener;
}

export function reportSandboxRefusal(r: SandboxRefusal): void {
  refusalListener?.(r);
}
