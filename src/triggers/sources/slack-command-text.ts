/** `/itw run <workflow> key=value ...` as typed in Slack, parsed into data (never code). */
export type SlashCommand =
  | { readonly kind: 'run'; readonly workflow: string; readonly args: Readonly<Record<string, string>> }
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly message: string };

export const SLASH_USAGE = 'usage: `/itw run <workflow> key=value ...` (quote values with spaces: `note="disk full"`)';

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_ARGS = 50;
const MAX_VALUE = 2000;

/** Words split on whitespace; double or single quotes keep spaces inside a word (Slack sends curly quotes too). */
function words(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (const raw of text) {
    const ch = raw === '“' || raw === '”' ? '"' : raw === '‘' || raw === '’' ? "'" : raw;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (inWord) out.push(cur);
  return out;
}

/**
 * The command's text. Values stay strings: the workflow reads them as `$trigger.args.<key>`, and
 * like any trigger data they can only reach SQL, shells and scripts as bound parameters, argv,
 * environment or stdin (ARCHITECTURE.md §6).
 */
export function parseSlashCommand(text: string): SlashCommand {
  const w = words(text.trim());
  if (w === undefined) return { kind: 'invalid', message: `an opening quote is never closed. ${SLASH_USAGE}` };
  const [verb, workflow, ...rest] = w;
  if (verb === undefined || verb === 'help') return { kind: 'help' };
  if (verb !== 'run') return { kind: 'invalid', message: `unknown command \`${verb.slice(0, 40)}\`. ${SLASH_USAGE}` };
  if (workflow === undefined || workflow === '') return { kind: 'invalid', message: `name the workflow to run. ${SLASH_USAGE}` };
  if (rest.length > MAX_ARGS) return { kind: 'invalid', message: `at most ${MAX_ARGS} key=value arguments` };
  // A Map, then fromEntries: own properties only, so `__proto__=x` is a key like any other.
  const args = new Map<string, string>();
  for (const word of rest) {
    const eq = word.indexOf('=');
    const key = eq > 0 ? word.slice(0, eq) : '';
    if (!KEY.test(key)) return { kind: 'invalid', message: `\`${word.slice(0, 40)}\` is not key=value (keys: letters, digits, _; starting with a letter or _). ${SLASH_USAGE}` };
    const value = word.slice(eq + 1);
    if (value.length > MAX_VALUE) return { kind: 'invalid', message: `the value of ${key} is longer than ${MAX_VALUE} characters` };
    if (args.has(key)) return { kind: 'invalid', message: `${key} is given twice` };
    args.set(key, value);
  }
  return { kind: 'run', workflow, args: Object.fromEntries(args) };
}
