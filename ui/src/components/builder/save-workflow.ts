import { ApiError } from '../../api/client';
import { workflows } from '../../api/endpoints';
import { firstRun } from '../../api/first-run';
import type { ProblemItem } from '../../api/types';
import type { Viewport, Workflow } from '../../api/types';
import type { GraphStore } from '../../canvas/graph-store';
import { locateProblems, type LocatedProblems } from '../../canvas/problems';
import type { WorkflowMeta } from './WorkflowSettings';

export type SaveResult =
  | { readonly kind: 'draft'; readonly workflow: Workflow; readonly problems: LocatedProblems; readonly count: number }
  | { readonly kind: 'published'; readonly workflow: Workflow }
  | { readonly kind: 'invalid'; readonly workflow: Workflow; readonly problems: LocatedProblems; readonly count: number };

/** Problems (a 422's, or a preflight's) marked on the nodes and edges they name; the rest come back as general. */
export function markFound(found: readonly ProblemItem[], store: GraphStore): { problems: LocatedProblems; count: number } {
  const def = store.toDefinition();
  // Preflight problems name one node (`node_id`), validation problems several (`node_ids`).
  const items = found.map((p) => {
    const one = (p as { node_id?: string }).node_id;
    return one && !p.node_ids ? { ...p, node_ids: [one] } : p;
  });
  const problems = locateProblems(items, def.nodes.map((n) => n.id), def.edges.map((e) => e.id));
  store.setProblems(problems.nodes, problems.edges);
  return { problems, count: found.length };
}

/** The located problems of a 422 marked on the canvas; anything else is rethrown. */
export function markProblems(err: unknown, store: GraphStore): { problems: LocatedProblems; count: number } {
  if (!(err instanceof ApiError && err.status === 422)) throw err;
  return markFound(err.problems, store);
}

/**
 * Save = write the draft, with the revision it was loaded at (a concurrent save is a conflict, not
 * a silent overwrite). Saving never changes the status: a draft or inactive workflow stays as it
 * is (activation is its own command), while an active one gets the saved draft published as its
 * new version, so what runs is what was saved. A draft the server cannot publish stays saved, its
 * problems located on nodes and edges.
 */
export async function saveWorkflow(wf: Workflow, meta: WorkflowMeta, store: GraphStore, viewport: Viewport | null): Promise<SaveResult> {
  const def = store.toDefinition();
  const saved = await workflows.update(wf.id, {
    name: meta.name, description: meta.description, category: meta.category, tags: [...meta.tags], settings: meta.settings,
    variables: [...meta.variables], ...(viewport ? { viewport } : {}), nodes: def.nodes, edges: def.edges, expected_revision: wf.draft_revision,
  });
  store.markSaved();
  store.setProblems(new Map());
  // A draft is checked, not published: what activation would refuse is marked now, where it is.
  if (saved.status !== 'active') return { kind: 'draft', workflow: saved, ...markFound((await firstRun.preflight(wf.id)).problems, store) };
  try {
    return { kind: 'published', workflow: await workflows.activate(wf.id) };
  } catch (err) {
    return { kind: 'invalid', workflow: saved, ...markProblems(err, store) };
  }
}
