import { edgeHandle } from '../model/graph/edge-handle.js';
import { errorSubgraph, graphErrorHandlers } from '../model/graph/error-subgraph.js';
import { isLoopBackEdge } from '../model/graph/is-loop-back-edge.js';
import { loopBodies } from '../model/graph/loop-bodies.js';
import { reachable } from '../model/graph/reachable.js';
import type { ResolvedSettings, WorkflowDefinition, WorkflowNode } from '../model/types.js';
import { resolveSettings } from '../model/types.js';
import type { ConfigPath } from '../model/code-fields.js';
import { codePathsOf, type NodeHandler, type NodeRegistry } from './node-handler.js';
import { configHasTemplates } from './expressions.js';
import { effectiveRetry, type EffectiveRetry } from './retry-policy.js';

export interface CompiledEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly handle: string;
  readonly condition: string | null;
}

export interface CompiledNode {
  readonly node: WorkflowNode;
  readonly handler: NodeHandler;
  readonly retry: EffectiveRetry;
  /** Outgoing edges, loop-back edges excluded. */
  readonly out: readonly CompiledEdge[];
  /** Incoming edges, loop-back edges excluded. */
  readonly in: readonly CompiledEdge[];
  /** Loops whose body contains this node, innermost last. */
  readonly loops: readonly string[];
  readonly inErrorPath: boolean;
  /** On a path that can carry `$error`: reachable from an `error` edge or a graph-level handler. */
  readonly afterError: boolean;
  /** Whether any templated config field holds `{{ }}`: when not, the config is used as it is. */
  readonly hasTemplates: boolean;
  /** Config paths holding code: never templated (model/code-fields.ts). */
  readonly codePaths: readonly ConfigPath[];
  /** For a loop: its body nodes that run in its iterations' scope (nested loops' bodies excluded). */
  readonly bodyNodes: readonly string[];
  /** For a loop: body nodes with no outgoing edge inside the body; their outputs make an iteration's result. */
  readonly bodyTerminals: readonly string[];
}

/** A version's definition prepared once for execution: everything the engine looks up per step. */
export interface CompiledGraph {
  readonly definition: WorkflowDefinition;
  readonly settings: ResolvedSettings;
  readonly nodes: ReadonlyMap<string, CompiledNode>;
  readonly errorHandlers: readonly string[];
  /** Nodes a manual run starts at. */
  readonly manualEntries: readonly string[];
  /** Top-level nodes without incoming edges that are not entries: skipped at start. */
  readonly orphans: readonly string[];
  /** Has a run_workflow step: its executions may have children to cancel when they end. */
  readonly startsChildren: boolean;
}

function manualEntries(def: WorkflowDefinition, indegree: ReadonlyMap<string, number>, errorPath: ReadonlySet<string>): string[] {
  const triggers = def.nodes.filter((n) => n.node_type === 'trigger');
  const manual = triggers.filter((n) => (n.config['trigger_type'] ?? 'manual') === 'manual');
  // A workflow with only event triggers can still be run by hand: every trigger fires with the input.
  if (triggers.length > 0) return (manual.length > 0 ? manual : triggers).map((n) => n.id);
  return def.nodes.filter((n) => (indegree.get(n.id) ?? 0) === 0 && !errorPath.has(n.id)).map((n) => n.id);
}

function untemplated(handler: NodeHandler, key: string): boolean {
  return handler.spec.expressionFields.includes(key) || (handler.spec.rawFields ?? []).includes(key);
}

export function compileGraph(def: WorkflowDefinition, registry: NodeRegistry): CompiledGraph {
  const settings = resolveSettings(def.settings);
  const bodies = loopBodies(def);
  const errorPath = errorSubgraph(def);
  const outs = new Map<string, CompiledEdge[]>();
  const ins = new Map<string, CompiledEdge[]>();
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  for (const e of def.edges) {
    if (isLoopBackEdge(e, bodies)) continue;
    const source = byId.get(e.source_node_id);
    const spec = source ? registry.get(source.node_type)?.spec : undefined;
    const handle = spec ? edgeHandle(e, spec) : undefined;
    const ce: CompiledEdge = {
      id: e.id,
      source: e.source_node_id,
      target: e.target_node_id,
      handle: handle ?? 'out',
      condition: e.condition ?? null,
    };
    (outs.get(ce.source) ?? outs.set(ce.source, []).get(ce.source)!).push(ce);
    (ins.get(ce.target) ?? ins.set(ce.target, []).get(ce.target)!).push(ce);
  }
  const indegree = new Map(def.nodes.map((n) => [n.id, ins.get(n.id)?.length ?? 0]));
  const errorTargets = [...outs.values()].flat().filter((e) => e.handle === 'error').map((e) => e.target);
  const afterError = reachable([...errorTargets, ...errorPath], def.edges);
  const entries = manualEntries(def, indegree, errorPath);
  const loopsOf = new Map<string, string[]>();
  for (const n of def.nodes) {
    const loops = [...bodies].filter(([, body]) => body.has(n.id)).map(([id]) => id);
    // Outer loops' bodies contain inner ones, so sorting by body size puts the innermost last.
    loops.sort((a, b) => bodies.get(b)!.size - bodies.get(a)!.size);
    loopsOf.set(n.id, loops);
  }
  const nodes = new Map<string, CompiledNode>();
  for (const n of def.nodes) {
    const handler = registry.get(n.node_type);
    if (!handler) throw new Error(`no handler for node type ${n.node_type}`);
    // An iteration's own nodes: the body minus what nested loops run in their own iterations.
    const bodyNodes = bodies.has(n.id) ? [...bodies.get(n.id)!].filter((id) => loopsOf.get(id)!.at(-1) === n.id) : [];
    const direct = new Set(bodyNodes);
    const innerEdges = (id: string) =>
      (outs.get(id) ?? []).filter((e) => direct.has(e.target) && !(byId.get(id)?.node_type === 'loop' && e.handle === 'body'));
    const bodyTerminals = bodyNodes.filter((id) => innerEdges(id).length === 0);
    nodes.set(n.id, {
      node: n,
      handler,
      retry: effectiveRetry(n.retry, settings, handler.defaultRetry?.(n.config)),
      out: outs.get(n.id) ?? [],
      in: ins.get(n.id) ?? [],
      loops: loopsOf.get(n.id)!,
      inErrorPath: errorPath.has(n.id),
      afterError: afterError.has(n.id),
      hasTemplates: Object.entries(n.config).some(([k, v]) => !untemplated(handler, k) && configHasTemplates(v)),
      codePaths: codePathsOf(handler, n.config),
      bodyTerminals,
      bodyNodes,
    });
  }
  const entrySet = new Set(entries);
  const orphans = def.nodes
    .filter((n) => (indegree.get(n.id) ?? 0) === 0 && !entrySet.has(n.id) && !errorPath.has(n.id))
    .map((n) => n.id);
  const startsChildren = def.nodes.some((n) => n.node_type === 'run_workflow');
  return { definition: def, settings, nodes, errorHandlers: graphErrorHandlers(def), manualEntries: entries, orphans, startsChildren };
}
