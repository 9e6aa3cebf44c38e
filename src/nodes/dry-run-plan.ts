import { standaloneServices } from '../actions/action-services.js';
import { EgressGuard } from '../actions/http/egress-guard.js';
import type { ActionCatalog } from '../actions/define-action.js';
import { compileGraph } from '../engine/compiled-graph.js';
import type { Bindings } from '../engine/node-handler.js';
import { reachable } from '../model/graph/reachable.js';
import { topologicalOrder } from '../model/graph/topological-order.js';
import type { WorkflowDefinition } from '../model/types.js';
import { planStep, SIDE_EFFECT_TYPES, type DryRunStep } from './dry-run-step.js';
import { resolveWherePossible } from './dry-run-resolve.js';
import { createNodeRegistry } from './registry.js';

export interface DryRunPlan {
  readonly dry_run: true;
  readonly steps: readonly DryRunStep[];
}

export interface DryRunOptions {
  /** The execution's input_data (`$trigger`). @default {} */
  readonly input?: unknown;
  /** Overrides of the declared variables' defaults. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /**
   * Finds a run_workflow step's child definition (by id or name, and version) so the plan includes
   * the child's plan. Without it, or when it answers undefined, the step is listed alone.
   */
  readonly children?: (workflow: string, version: 'active' | number) => Promise<WorkflowDefinition | undefined>;
  /** How many levels of children to plan (ITW_MAX_WORKFLOW_DEPTH). @default 10 */
  readonly maxDepth?: number;
}

/**
 * What a manual run of a (valid) definition would do, without doing it: from the entry nodes a run
 * would start at, every reachable side-effecting step in graph order (all branches, since no
 * condition is evaluated), each described by its action's `plan()` with templates resolved against
 * the input and variables where they can be. No store, no engine, no I/O.
 */
export async function planDryRun(def: WorkflowDefinition, actions: ActionCatalog, opts: DryRunOptions = {}): Promise<DryRunPlan> {
  return { dry_run: true, steps: await planSteps(def, actions, opts, opts.input ?? {}, 0) };
}

async function planSteps(def: WorkflowDefinition, actions: ActionCatalog, opts: DryRunOptions, input: unknown, depth: number): Promise<DryRunStep[]> {
  // The registry only compiles the graph here: no handler runs, so its connections would all be refused anyway.
  const registry = createNodeRegistry(actions, standaloneServices({ egress: new EgressGuard({ blockPrivate: true, allow: [] }) }));
  const graph = compileGraph(def, registry);
  const edges = [...graph.nodes.values()].flatMap((n) => n.out);
  const seen = reachable(graph.manualEntries, edges.map((e) => ({ source_node_id: e.source, target_node_id: e.target })));
  const order = topologicalOrder(def.nodes.map((n) => n.id).filter((id) => seen.has(id)), edges);
  const vars = { ...Object.fromEntries((def.variables ?? []).map((v) => [v.name, v.default])), ...(opts.variables ?? {}) };
  const triggers = new Set(def.nodes.filter((n) => n.node_type === 'trigger').map((n) => n.id));
  const steps: DryRunStep[] = [];
  for (const id of order) {
    const node = graph.nodes.get(id)!;
    if (!SIDE_EFFECT_TYPES.has(node.node.node_type)) continue;
    // Right after the trigger (or at the start), `$input` is the run's input; anywhere else it is unknown.
    const fromStart = node.in.length === 0 || node.in.every((e) => triggers.has(e.source));
    const bindings: Bindings = {
      input: fromStart ? input : undefined,
      trigger: input,
      nodes: Object.fromEntries([...triggers].map((t) => [t, input])),
      vars,
      execution: { id: 'dry-run', workflow_id: 'dry-run', version: 0 },
    };
    const spec = node.handler.spec;
    const config = await resolveWherePossible(node.node.config, [...spec.expressionFields, ...(spec.rawFields ?? [])], bindings, node.codePaths);
    const step = await planStep(node.node, config, actions);
    steps.push(node.node.node_type === 'run_workflow' ? await withChild(step, config, actions, opts, depth) : step);
  }
  return steps;
}

/** A run_workflow step with its child's plan (its input as far as it is known before the run). */
async function withChild(step: DryRunStep, config: Readonly<Record<string, unknown>>, actions: ActionCatalog, opts: DryRunOptions, depth: number): Promise<DryRunStep> {
  if (!opts.children || depth + 1 > (opts.maxDepth ?? 10)) return step;
  const ref = String(config['workflow_id']);
  const version = config['version'] === undefined ? 'active' : (config['version'] as 'active' | number);
  const child = await opts.children(ref, version);
  if (!child) return { ...step, plan: `${step.plan}: not found here` };
  const input = 'input' in config ? config['input'] : undefined;
  return { ...step, child: { workflow_id: ref, steps: await planSteps(child, actions, { ...opts, variables: {} }, input, depth + 1) } };
}
