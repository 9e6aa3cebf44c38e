/**
 * Server policy for sandboxed steps, compiled once from config by the composition root (app.ts)
 * and passed to steps in their context (ActionServices.sandbox). It is the operator's policy, not
 * workflow data, so nothing a workflow passes can widen it. The defaults are the safe ones.
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

export const DEFAULT_SANDBOX_POLICY: SandboxPolicy = { dataDir: undefined, unsandboxed: false, network: 'guarded', paths: [] };

/** What sandboxed steps get from the app: its policy, whether egress is guarded, and where refusals go. */
export interface StepSandbox {
  readonly policy: SandboxPolicy;
  /**
   * The app's egress guard blocks private addresses: a step given the host network would then
   * escape it, so `network: guarded` refuses such steps.
   */
  readonly egressGuarded: boolean;
  /** Tells the audit log; must not throw. */
  reportRefusal(r: SandboxRefusal): void;
}

export function stepSandbox(policy: Partial<SandboxPolicy> | undefined, opts: { egressGuarded: boolean; onRefusal?: ((r: SandboxRefusal) => void) | undefined }): StepSandbox {
  const onRefusal = opts.onRefusal;
  return {
    policy: { ...DEFAULT_SANDBOX_POLICY, ...policy },
    egressGuarded: opts.egressGuarded,
    reportRefusal: (r) => {
      try {
        onRefusal?.(r);
      } catch {
        // auditing must not turn a refusal into a different error
      }
    },
  };
}
