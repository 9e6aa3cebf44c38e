/**
 * Config fields holding code (SQL, shell lines, script source, the program of an argv): they are
 * never templated, so trigger data, remote responses and execution-time variables stay data.
 * Values reach code as bound SQL params, argv entries, environment variables or stdin instead.
 * Pure: shared by validation (model/validate) and the engine's template resolution.
 */

/** Where a code field sits in a node's config: keys and array indexes from `config`. */
export type ConfigPath = readonly (string | number)[];

/** A code field of a node and what to do instead of templating it (shown to the user). */
export interface CodeField {
  readonly path: ConfigPath;
  readonly hint: string;
}

/** Names of the code params of an action, each with the hint shown when a template is refused. */
export type CodeParams = Readonly<Record<string, string>>;

// Programs whose next argument after one of these flags is program text (`sh -c '...'`), by name
// without directory or version (`/usr/bin/python3.12` is `python`).
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'fish', 'busybox']);
const INTERPRETERS: Readonly<Record<string, readonly string[]>> = {
  python: ['-c'], node: ['-e', '--eval', '-p', '--print'], nodejs: ['-e', '--eval', '-p', '--print'], perl: ['-e', '-E'],
  ruby: ['-e'], php: ['-r'], pwsh: ['-c', '-command', '-Command'], powershell: ['-c', '-command', '-Command'], lua: ['-e'],
};
// Programs whose first operand is their program text.
const FIRST_OPERAND = new Set(['awk', 'gawk', 'mawk', 'sed']);

function programName(program: string): string {
  return program.slice(program.lastIndexOf('/') + 1).replace(/[\d.]+$/, '');
}

/** True when `arg` of the program named `name` announces that the next argument is program text. */
function announcesScript(name: string, arg: string): boolean {
  if (SHELLS.has(name)) return /^-[A-Za-z]*c[A-Za-z]*$/.test(arg);
  return INTERPRETERS[name]?.includes(arg) ?? false;
}

/**
 * The code entries of an argv: the program itself, and the program text a shell or interpreter is
 * given, also behind wrappers (`["sh", "-c", "..."]`, `["timeout", "5", "python3", "-c", "..."]`,
 * `["kubectl", "exec", "pod", "--", "bash", "-lc", "..."]`, awk's and sed's script). The other
 * entries are data.
 */
export function argvCodeIndexes(argv: readonly unknown[]): number[] {
  const out = [0];
  let interpreter: string | undefined;
  let wantsOperand = false;
  argv.forEach((arg, i) => {
    if (typeof arg !== 'string') return;
    const name = programName(arg);
    if (wantsOperand && !arg.startsWith('-')) {
      out.push(i);
      wantsOperand = false;
    } else if (interpreter !== undefined && i + 1 < argv.length && announcesScript(interpreter, arg)) {
      out.push(i + 1);
    }
    if (SHELLS.has(name) || name in INTERPRETERS) interpreter = name;
    if (FIRST_OPERAND.has(name)) wantsOperand = true;
  });
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * The paths under `base` where a code param's value is code: a string value as a whole (SQL, a shell
 * line, script source, or a template standing for a whole argv), an array's program and script text.
 */
export function codeParamPaths(params: Readonly<Record<string, unknown>>, base: ConfigPath, codeParams: CodeParams): CodeField[] {
  const out: CodeField[] = [];
  for (const [name, hint] of Object.entries(codeParams)) {
    const value = params[name];
    if (Array.isArray(value)) {
      for (const i of argvCodeIndexes(value)) out.push({ path: [...base, name, i], hint });
    } else if (value !== undefined) {
      out.push({ path: [...base, name], hint });
    }
  }
  return out;
}

/** An action node's params: `params: {...}` or flat beside `action_type` (the seed's form). */
export function actionParamsBase(config: Readonly<Record<string, unknown>>): { params: Readonly<Record<string, unknown>>; base: ConfigPath } {
  const explicit = config['params'];
  if (explicit !== null && typeof explicit === 'object' && !Array.isArray(explicit)) {
    return { params: explicit as Record<string, unknown>, base: ['params'] };
  }
  return { params: config, base: [] };
}

/** True when `path` is one of `paths`. */
export function isCodePath(path: ConfigPath, paths: readonly ConfigPath[]): boolean {
  return paths.some((p) => p.length === path.length && p.every((seg, i) => String(seg) === String(path[i])));
}

/** What a node type or action tells about its code fields. */
export interface CodeFieldSource {
  /** Top-level config keys that are code (a script's `code`, a database node's `sql`). */
  readonly rawFields?: readonly string[] | undefined;
  /** Hint per raw field: how to pass a value instead of templating it. */
  readonly rawFieldHints?: Readonly<Record<string, string>> | undefined;
}

const GENERIC_HINT = 'pass the value as data (a parameter, an argv entry, an environment variable or stdin) instead';

/** Every code field of a node: its type's raw fields, and for an action node its action's code params. */
export function nodeCodeFields(config: Readonly<Record<string, unknown>>, spec: CodeFieldSource | undefined, actionCodeParams?: CodeParams): CodeField[] {
  const out: CodeField[] = (spec?.rawFields ?? [])
    .filter((key) => config[key] !== undefined)
    .map((key) => ({ path: [key], hint: spec?.rawFieldHints?.[key] ?? GENERIC_HINT }));
  if (actionCodeParams) {
    const { params, base } = actionParamsBase(config);
    out.push(...codeParamPaths(params, base, actionCodeParams));
  }
  return out;
}
