import { shellQuote } from '../infrastructure/ssh-exec.js';
import type { ScriptLanguage } from '../infrastructure/script-runtime.js';

const EXTENSION: Record<ScriptLanguage, string> = { bash: 'sh', python: 'py', node: 'mjs' };

/**
 * The remote shell line that runs a script on an inventory host. The code never appears in the
 * line: it arrives first on stdin and `dd` takes exactly its bytes into a private temp dir (removed
 * on exit), so what follows on stdin (the step's `input` as JSON) is the script's own stdin. Only
 * numbers and shell-quoted args are in the line. bash/python get the memory limit as `ulimit -v`,
 * node as its heap limit (V8 reserves far more address space than it uses).
 */
export function remoteScriptLine(language: ScriptLanguage, codeBytes: number, args: readonly string[], memoryMb: number): string {
  const file = `"$d/script.${EXTENSION[language]}"`;
  const quoted = args.map(shellQuote).join(' ');
  const run = language === 'node'
    ? `node --max-old-space-size=${memoryMb} ${file} ${quoted}`
    : `ulimit -v ${memoryMb * 1024} 2>/dev/null; ${language === 'bash' ? 'bash' : 'python3'} ${file} ${quoted}`;
  return [
    'd=$(mktemp -d) || exit 125',
    `trap 'rm -rf "$d"' EXIT`,
    `dd bs=1 count=${codeBytes} of=${file} 2>/dev/null`,
    'cd "$d" && export HOME="$d"',
    run,
  ].join('\n');
}
