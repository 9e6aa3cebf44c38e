import type { Catalog } from '../../model/node-spec.js';
import { validateDefinition } from '../../model/validate-definition.js';
import { canonical, changedPaths } from './canonical-definition.js';
import type { RemoteWorkflow } from './server-client.js';
import type { LocalWorkflow } from './workflow-files.js';

export type PlanItem =
  | { readonly kind: 'create'; readonly local: LocalWorkflow }
  | { readonly kind: 'update'; readonly local: LocalWorkflow; readonly remote: RemoteWorkflow; readonly changes: readonly string[] }
  | { readonly kind: 'unchanged'; readonly local: LocalWorkflow; readonly remote: RemoteWorkflow }
  | { readonly kind: 'server_only'; readonly remote: RemoteWorkflow };

/** Header fields that mean the same absent or empty (the API stores `""`, `[]`, `{}` for them). */
const EMPTY_MEANS_ABSENT = ['description', 'category', 'tags', 'settings', 'variables'];

/**
 * What is compared: the validated definition (defaults applied the same way on both sides),
 * canonical, without edge ids (the server names edges a file leaves unnamed; edges are told apart
 * by their ends, handle and condition) and without empty header fields.
 */
export function comparable(normalized: unknown): unknown {
  const c = canonical(normalized) as Record<string, unknown>;
  for (const k of EMPTY_MEANS_ABSENT) {
    const v = c[k];
    if (v === '' || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete c[k];
  }
  if (Array.isArray(c['edges'])) c['edges'] = (c['edges'] as Array<Record<string, unknown>>).map(({ id: _id, ...rest }) => rest);
  return c;
}

/** The server's draft, compared the way a file is (it passed the same validation when stored). */
export function comparableRemote(definition: unknown, catalog: Catalog): unknown {
  const v = validateDefinition(definition, catalog);
  return comparable(v.ok ? v.definition : definition);
}

/** Matches files to server workflows by name. */
export async function makePlan(
  local: readonly LocalWorkflow[], remote: readonly RemoteWorkflow[], definitionOf: (id: string) => Promise<unknown>, catalog: Catalog,
): Promise<PlanItem[]> {
  const items: PlanItem[] = [];
  const byName = new Map<string, RemoteWorkflow[]>();
  for (const r of remote) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const l of local) {
    const matches = byName.get(l.name) ?? [];
    if (matches.length > 1) throw new Error(`${l.file}: the server has ${matches.length} workflows named "${l.name}" (${matches.map((m) => m.id).join(', ')}): rename all but one first`);
    const r = matches[0];
    if (!r) {
      items.push({ kind: 'create', local: l });
      continue;
    }
    const changes = changedPaths(comparableRemote(await definitionOf(r.id), catalog), comparable(l.normalized));
    items.push(changes.length === 0 ? { kind: 'unchanged', local: l, remote: r } : { kind: 'update', local: l, remote: r, changes });
  }
  const names = new Set(local.map((l) => l.name));
  for (const r of remote) if (!names.has(r.name)) items.push({ kind: 'server_only', remote: r });
  return items;
}

/** One line per workflow, Terraform-style: `+` create, `~` update (with what changed), `=` unchanged, `-`/`?` only on the server. */
export function formatPlan(items: readonly PlanItem[], prune: boolean): string[] {
  const lines: string[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'create':
        lines.push(`+ create     ${item.local.name}  (${item.local.file})`);
        break;
      case 'update':
        lines.push(`~ update     ${item.local.name}  (${item.local.file}, ${item.remote.id})`);
        for (const c of item.changes.slice(0, 20)) lines.push(`      ${c}`);
        if (item.changes.length > 20) lines.push(`      … ${item.changes.length - 20} more`);
        break;
      case 'unchanged':
        lines.push(`= unchanged  ${item.local.name}`);
        break;
      case 'server_only':
        lines.push(prune ? `- delete     ${item.remote.name}  (${item.remote.id}, only on the server)` : `? only on the server  ${item.remote.name}  (${item.remote.id}; --prune deletes it)`);
        break;
      default: {
        const never: never = item;
        lines.push(String(never));
      }
    }
  }
  const count = (k: PlanItem['kind']) => items.filter((i) => i.kind === k).length;
  lines.push(`plan: ${count('create')} to create, ${count('update')} to update, ${count('unchanged')} unchanged, ${count('server_only')} only on the server${prune ? ' (to delete)' : ''}`);
  return lines;
}

export function hasChanges(items: readonly PlanItem[], prune: boolean): boolean {
  return items.some((i) => i.kind === 'create' || i.kind === 'update' || (prune && i.kind === 'server_only'));
}
