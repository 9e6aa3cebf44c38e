import { readFile } from 'node:fs/promises';
import { caretLines } from '../model/expression-syntax.js';
import type { Catalog } from '../model/node-spec.js';
import { parseDefinitionText } from '../model/parse-definition.js';
import type { Problem } from '../model/problems.js';
import { sourcePositions, type SourcePosition } from '../model/source-positions.js';
import type { WorkflowDefinition } from '../model/types.js';
import { validateDefinition } from '../model/validate-definition.js';

/** What a problem report needs of the file: where each path is written, and the edges' endpoints. */
export interface DefinitionSource {
  position(pointer: string): SourcePosition | undefined;
  /** `start → check` for `/edges/N...` paths of edges that name both ends. */
  edgeName(pointer: string): string | undefined;
}

export type LoadResult =
  | { readonly ok: true; readonly definition: WorkflowDefinition }
  | { readonly ok: false; readonly problems: readonly Problem[]; readonly source?: DefinitionSource };

function sourceOf(text: string, value: unknown): DefinitionSource | undefined {
  const positions = sourcePositions(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!positions) return undefined;
  const edges = (value as { edges?: unknown } | null)?.edges;
  return {
    position: positions,
    edgeName: (pointer) => {
      const m = /^\/edges\/(\d+)(?:\/|$)/.exec(pointer);
      const edge = m && Array.isArray(edges) ? (edges[Number(m[1])] as Record<string, unknown> | undefined) : undefined;
      const [from, to] = [edge?.['source_node_id'], edge?.['target_node_id']];
      return typeof from === 'string' && typeof to === 'string' ? `${from} → ${to}` : undefined;
    },
  };
}

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
  if (validated.ok) return { ok: true, definition: validated.definition };
  const source = sourceOf(text, parsed.value);
  return { ok: false, problems: validated.problems, ...(source ? { source } : {}) };
}

/**
 * `file:line:col: edge start → check (/edges/1/condition): message [code]`, the way compilers print
 * so editors can jump there; an expression problem adds the expression and a caret under the spot.
 */
export function formatProblem(file: string, p: Problem, source?: DefinitionSource): string {
  const pos = source?.position(p.path);
  const where = pos ? `${file}:${pos.line}:${pos.column}` : file;
  const edge = source?.edgeName(p.path);
  const what = edge ? `edge ${edge} (${p.path})` : (p.path || '/');
  const caret = p.excerpt ? `\n${caretLines(p.excerpt.text, p.excerpt.position)}` : '';
  return `${where}: ${what}: ${p.message} [${p.code}]${caret}`;
}
