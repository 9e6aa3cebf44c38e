import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../../model/node-spec.js';
import { parseDefinitionText } from '../../model/parse-definition.js';
import { sourcePositions } from '../../model/source-positions.js';
import { validateDefinition } from '../../model/validate-definition.js';
import { formatProblem } from '../load-definition.js';
import { clearSecretPaths } from './clear-secrets.js';

export interface LocalWorkflow {
  readonly file: string;
  readonly name: string;
  /** The document as written (what is pushed). */
  readonly document: Record<string, unknown>;
  /** Validated, defaults applied: what is compared. */
  readonly normalized: unknown;
}

export const WORKFLOW_FILE = /\.ya?ml$/i;

/** `restart web (prod)` → `restart-web-prod`: the file name of a workflow. */
export function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workflow';
}

/**
 * Every `*.yaml`/`*.yml` of the directory, parsed and validated. Problems come back as lines
 * `file:line:col: /path: message [code]` (every problem of every file, nothing sent meanwhile):
 * a file that does not parse or validate, a secret written in clear, two files with one name.
 */
export async function readWorkflowDir(dir: string, catalog: Catalog): Promise<{ workflows: LocalWorkflow[]; problems: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => WORKFLOW_FILE.test(f)).sort();
  } catch (err) {
    return { workflows: [], problems: [`${dir}: cannot read the directory (${(err as NodeJS.ErrnoException).code ?? 'EIO'})`] };
  }
  const workflows: LocalWorkflow[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    const parsed = parseDefinitionText(text, file);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => formatProblem(file, p)));
      continue;
    }
    const positions = sourcePositions(text);
    const source = positions ? { position: positions, edgeName: () => undefined } : undefined;
    const clear = clearSecretPaths(parsed.value);
    for (const path of clear) {
      problems.push(formatProblem(file, { path, code: 'secret_in_clear', message: 'a secret written in clear is never pushed: set it once on the server (UI or API) and keep the `$vault:` reference `itw pull` writes' }, source));
    }
    const validated = validateDefinition(parsed.value, catalog);
    if (!validated.ok) {
      problems.push(...validated.problems.map((p) => formatProblem(file, p, source)));
      continue;
    }
    if (clear.length > 0) continue;
    const document = parsed.value as Record<string, unknown>;
    const wfName = String(document['name']);
    const twin = workflows.find((w) => w.name === wfName);
    if (twin) {
      problems.push(`${file}: /name: "${wfName}" is also the name of ${twin.file}: a workflow is one file [duplicate_name]`);
      continue;
    }
    workflows.push({ file, name: wfName, document, normalized: validated.definition });
  }
  return { workflows, problems };
}
