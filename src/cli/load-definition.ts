import { readFile } from 'node:fs/promises';
import type { Catalog } from '../model/node-spec.js';
import { parseDefinitionText } from '../model/parse-definition.js';
import type { Problem } from '../model/problems.js';
import type { WorkflowDefinition } from '../model/types.js';
import { validateDefinition } from '../model/validate-definition.js';

export type LoadResult =
  | { readonly ok: true; readonly definition: WorkflowDefinition }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Reads a JSON or YAML workflow file and validates it; every problem is reported, none thrown. */
export async function loadDefinitionFile(file: string, catalog: Catalog): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, problems: [{ path: '', code: 'parse_error', message: `cannot read ${file}: ${code}` }] };
  }
  const parsed = parseDefinitionText(text, file);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const validated = validateDefinition(parsed.value, catalog);
  return validated.ok ? { ok: true, definition: validated.definition } : { ok: false, problems: validated.problems };
}

export function formatProblem(file: string, p: Problem): string {
  return `${file}: ${p.path || '/'}: ${p.message} [${p.code}]`;
}
