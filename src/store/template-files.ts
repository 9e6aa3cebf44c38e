import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { checkDraft } from '../model/check-draft.js';
import { parseDefinitionText } from '../model/parse-definition.js';
import type { Problem } from '../model/problems.js';
import type { WorkflowDefinition } from '../model/types.js';

export interface TemplateFile {
  readonly id: string;
  readonly definition: WorkflowDefinition;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/**
 * Reads every `*.json|yaml|yml` of `dir` as a workflow definition. A template's id is the document's
 * `id` when it is a string, else `tpl_<file name>`. A template is a draft: it must have a valid shape,
 * not a runnable graph. Broken files are returned as problems, not thrown: one bad template should
 * not stop the server. A missing directory means no templates.
 */
export async function loadTemplateFiles(dir: string): Promise<{ templates: TemplateFile[]; problems: Array<Problem & { file: string }> }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => EXTENSIONS.has(extname(n).toLowerCase())).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { templates: [], problems: [] };
    throw err;
  }
  const templates: TemplateFile[] = [];
  const problems: Array<Problem & { file: string }> = [];
  for (const name of names) {
    const file = join(dir, name);
    const parsed = parseDefinitionText(await readFile(file, 'utf8'), name);
    if (!parsed.ok) {
      problems.push(...parsed.problems.map((p) => ({ ...p, file })));
      continue;
    }
    const doc = parsed.value as { id?: unknown };
    const validated = checkDraft(parsed.value);
    if (!validated.ok) {
      problems.push(...validated.problems.map((p) => ({ ...p, file })));
      continue;
    }
    const id = typeof doc.id === 'string' && doc.id !== '' ? doc.id : `tpl_${basename(name, extname(name)).replace(/[^a-zA-Z0-9_-]/g, '_')}`;
    templates.push({ id, definition: validated.definition });
  }
  return { templates, problems };
}
