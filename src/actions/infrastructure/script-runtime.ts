import type { ResourceLimits } from '../process/resource-limits.js';

export const SCRIPT_LANGUAGES = ['bash', 'python', 'node'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];

/**
 * V8 reserves ~600 MB of address space (code range, heap cages) before running any JS, so an
 * RLIMIT_AS of the user's figure would stop Node at start-up. Node gets this headroom on top, and
 * its JS heap is held to the user's figure by --max-old-space-size instead, which fails with a clear
 * "heap out of memory". Measured on Node 20: starts at 768 MB of address space, not at 512 MB.
 */
const NODE_ADDRESS_SPACE_HEADROOM_MB = 1024;

export interface ScriptRuntime {
  readonly fileName: string;
  argv(scriptPath: string, args: readonly string[], memoryMb: number): string[];
  limits(memoryMb: number, cpuSeconds: number): ResourceLimits;
}

const MB = 1024 * 1024;

/** How each language is started. Node runs as ESM (`.mjs`: `import`, top-level await). */
export function scriptRuntime(language: ScriptLanguage): ScriptRuntime {
  switch (language) {
    case 'bash':
      return {
        fileName: 'script.sh',
        argv: (path, args) => ['bash', path, ...args],
        limits: (mb, cpu) => ({ memoryBytes: mb * MB, cpuSeconds: cpu }),
      };
    case 'python':
      return {
        fileName: 'script.py',
        argv: (path, args) => ['python3', path, ...args],
        limits: (mb, cpu) => ({ memoryBytes: mb * MB, cpuSeconds: cpu }),
      };
    case 'node':
      return {
        fileName: 'script.mjs',
        // The server's own binary: always present and the version we test with. Without
        // --disable-wasm-trap-handler, WebAssembly (which fetch's HTTP parser uses) reserves ~10 GB
        // of guard pages per instance and fails under the address-space limit.
        argv: (path, args, mb) => [process.execPath, '--disable-wasm-trap-handler', `--max-old-space-size=${mb}`, path, ...args],
        limits: (mb, cpu) => ({ memoryBytes: (mb + NODE_ADDRESS_SPACE_HEADROOM_MB) * MB, cpuSeconds: cpu }),
      };
    default: {
      const never: never = language;
      throw new Error(`unknown language ${String(never)}`);
    }
  }
}
