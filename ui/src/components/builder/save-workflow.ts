import { ApiError } from '../../api/client';
import { workflows } from '../../api/endpoints';
import type { Viewport, Workflow } from '../../api/types';
import type { GraphStore } from '../../canvas/graph-store';
import { locateProblems, type LocatedProblems } from '../../canvas/problems';
import type { WorkflowMeta } from './WorkflowSettings';

export type SaveResult =
  | { readonly kind: 'published'; readonly workflow: Workflow }
  | { readonly kind: 'invalid'; readonly workflow: Workflow; readonly problems: LocatedProblems; readonly count: number };

/**
 * Save = write the draft (with the revision it was loaded at, so a concurrent save is a conflict,
 * not a silent overwrite), then publish it as a version. A draft the server finds invalid stays
 * saved; its problems come back located on nodes and edges. An inactive workflow stays inactive.
 */
export async function saveWorkflow(wf: Workflow, meta: WorkflowMeta, store: GraphStore, viewport: Viewport | null): Promise<SaveResult> {
  const def = store.toDefinition();
  const saved = await workflows.update(wf.id, {
    name: meta.name, description: meta.description, category: meta.category, tags: [...meta.tags], settings: meta.settings,
    variables: [...meta.variables], ...(viewport ? { viewport } : {}), nodes: def.nodes, edges: def.edges, expected_revision: wf.draft_revision,
  });
  store.markSaved();
  try {
    let published = await workflows.activate(wf.id);
    if (wf.status === 'inactive') published = await workflows.deactivate(wf.id);
    store.setProblems(new Map());
    return { kind: 'published', workflow: published };
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) {
      const problems = locateProblems(err.problems, def.nodes.map((n) => n.id), def.edges.map((e) => e.id));
      store.setProblems(problems.nodes, problems.edges);
      return { kind: 'invalid', workflow: saved, problems, count: err.problems.length };
    }
    throw err;
  }
}
