import type { EdgeInput, NodeInput, NodeRunStatus, NodeType, WorkflowEdge, WorkflowNode } from '../api/types';
import { applyEdgeChanges, applyNodeChanges } from './changes';
import { copySelection, pasteClip, type Clip } from './clipboard';
import { connectionProblem } from './connection-rules';
import { fromGraph, toGraph } from './convert';
import { History } from './history';
import { newEdgeId, nextNodeId } from './ids';
import { autoLayout, needsLayout } from './layout';
import type { Connection, EdgeChange, EditorEdge, EditorNode, GraphState, HandlesOf, NodeChange, XY } from './types';

type NodePatch = Partial<Omit<WorkflowNode, 'id' | 'node_type' | 'position_x' | 'position_y'>>;

/**
 * What the panels around the canvas show. It changes on every edit, selection and run update, but
 * not while a node is being dragged: a drag re-renders the canvas only, never the whole page.
 */
export interface GraphSummary {
  readonly revision: number;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly selectedNodes: readonly EditorNode[];
  readonly selectedEdges: readonly EditorEdge[];
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly dirty: boolean;
}

/** Copy/paste goes across workflows in the same tab. */
let clipboard: Clip | undefined;

/**
 * The editor's graph: every edit goes through here (the React canvas only forwards events and
 * renders the snapshot). Keeps undo history, the dirty flag, run statuses and validation marks.
 */
export class GraphStore {
  private state: GraphState = { nodes: [], edges: [] };
  private readonly history = new History();
  private readonly listeners = new Set<() => void>();
  /** The graph before the drag in progress, recorded as one undo step when the drag ends. */
  private dragStart: GraphState | undefined;
  private savedState: GraphState = this.state;
  private revision = 0;
  private summary: GraphSummary | undefined;

  constructor(private readonly handlesOf: HandlesOf) {}

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getState = (): GraphState => this.state;

  getSummary = (): GraphSummary => {
    if (this.summary?.revision === this.revision) return this.summary;
    this.summary = {
      revision: this.revision, nodeCount: this.state.nodes.length, edgeCount: this.state.edges.length,
      selectedNodes: this.state.nodes.filter((n) => n.selected), selectedEdges: this.state.edges.filter((e) => e.selected),
      canUndo: this.canUndo, canRedo: this.canRedo, dirty: this.dirty,
    };
    return this.summary;
  };

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  /** Whether the graph differs from what was loaded or last saved (by identity: any edit counts). */
  get dirty(): boolean {
    return strip(this.state) !== this.savedState && !sameGraph(strip(this.state), this.savedState);
  }

  load(def: { nodes: readonly WorkflowNode[]; edges: readonly WorkflowEdge[] }): void {
    this.history.clear();
    const g = toGraph(def, this.handlesOf);
    // Laid out, not stacked at 0,0; the positions are saved with the next save, and the graph counts as unchanged until then.
    this.state = needsLayout(def.nodes) ? autoLayout(g) : g;
    this.savedState = strip(this.state);
    this.emit();
  }

  markSaved(): void {
    this.savedState = strip(this.state);
    this.emit();
  }

  toDefinition(): { nodes: (NodeInput & { id: string })[]; edges: (EdgeInput & { id: string })[] } {
    return fromGraph(this.state);
  }

  nodeChanges(changes: readonly NodeChange[]): void {
    const removing = changes.some((c) => c.type === 'remove');
    const dragging = changes.some((c) => c.type === 'position' && (c as { dragging?: boolean }).dragging === true);
    const dragEnded = changes.some((c) => c.type === 'position' && (c as { dragging?: boolean }).dragging === false);
    if (dragging && !this.dragStart) this.dragStart = strip(this.state);
    const before = this.state;
    let nodes = applyNodeChanges(changes, this.state.nodes);
    let edges = this.state.edges;
    if (removing) {
      const ids = new Set(nodes.map((n) => n.id));
      edges = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      this.history.record(strip(before));
    }
    if (dragEnded && this.dragStart) {
      this.history.record(this.dragStart);
      this.dragStart = undefined;
      nodes = nodes.map((n) => (n.dragging ? { ...n, dragging: false } : n));
    }
    this.state = { nodes, edges };
    // Mid-drag moves and size measurements concern the canvas alone.
    const quiet = changes.every((c) => c.type === 'dimensions' || (c.type === 'position' && (c as { dragging?: boolean }).dragging === true));
    this.emit(quiet);
  }

  edgeChanges(changes: readonly EdgeChange[]): void {
    if (changes.some((c) => c.type === 'remove')) this.history.record(strip(this.state));
    this.state = { ...this.state, edges: applyEdgeChanges(changes, this.state.edges) };
    this.emit();
  }

  /** Connects two handles, or says why the engine would not accept it. */
  connect(c: Connection): string | null {
    const problem = connectionProblem(c, this.state.nodes, this.state.edges, this.handlesOf);
    if (problem) return problem;
    const source = this.state.nodes.find((n) => n.id === c.source)!;
    const handle = c.sourceHandle ?? this.handlesOf(source.data.node.node_type)[0]!;
    this.edit((g) => ({ ...g, edges: [...g.edges, { id: newEdgeId(), source: c.source, target: c.target, sourceHandle: handle, type: 'itw', data: { condition: null } }] }));
    return null;
  }

  canConnect(c: Connection): boolean {
    return connectionProblem(c, this.state.nodes, this.state.edges, this.handlesOf) === null;
  }

  addNode(type: NodeType, position: XY, config: Record<string, unknown> = {}, label?: string): string {
    const id = nextNodeId(type, new Set(this.state.nodes.map((n) => n.id)));
    const node: EditorNode = { id, type: 'itw', position, selected: true, data: { node: { id, node_type: type, config, ...(label ? { label } : {}) } } };
    this.edit((g) => ({ nodes: [...g.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges: g.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) }));
    return id;
  }

  /** Form edits come a keystroke at a time: edits of one node within a second are one undo step. */
  updateNode(id: string, patch: NodePatch): void {
    this.edit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, node: { ...n.data.node, ...patch } } } : n)) }), `node:${id}`);
  }

  updateEdge(id: string, patch: { condition?: string | null; sourceHandle?: string }): void {
    this.edit((g) => ({
      ...g,
      edges: g.edges.map((e) => (e.id === id ? { ...e, ...(patch.sourceHandle ? { sourceHandle: patch.sourceHandle } : {}), data: { ...e.data, ...('condition' in patch ? { condition: patch.condition || null } : {}) } } : e)),
    }), `edge:${id}`);
  }

  deleteSelected(): void {
    const gone = new Set(this.state.nodes.filter((n) => n.selected).map((n) => n.id));
    if (gone.size === 0 && !this.state.edges.some((e) => e.selected)) return;
    this.edit((g) => ({
      nodes: g.nodes.filter((n) => !gone.has(n.id)),
      edges: g.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
    }));
  }

  select(ids: readonly string[]): void {
    const want = new Set(ids);
    this.state = {
      nodes: this.state.nodes.map((n) => (!!n.selected === want.has(n.id) ? n : { ...n, selected: want.has(n.id) })),
      edges: this.state.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    };
    this.emit();
  }

  selectAll(): void {
    this.select(this.state.nodes.map((n) => n.id));
  }

  copy(): number {
    clipboard = copySelection(this.state);
    return clipboard?.nodes.length ?? 0;
  }

  paste(): number {
    if (!clipboard) return 0;
    const clip = clipboard;
    this.edit((g) => pasteClip(g, clip));
    // A second paste lands beside the first, not on top of it.
    clipboard = { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y + 40 } })) };
    return clip.nodes.length;
  }

  layout(): void {
    this.edit((g) => autoLayout(g));
  }

  undo(): void {
    const prev = this.history.undo(strip(this.state));
    if (prev) this.restore(prev);
  }

  redo(): void {
    const next = this.history.redo(strip(this.state));
    if (next) this.restore(next);
  }

  /** Colours nodes by their latest run status (undefined clears). Not an edit: no history, not dirty. */
  setStatuses(statuses: ReadonlyMap<string, NodeRunStatus> | undefined): void {
    this.state = {
      ...this.state,
      nodes: this.state.nodes.map((n) => {
        const s = statuses?.get(n.id);
        return n.data.status === s ? n : { ...n, data: { ...n.data, status: s } };
      }),
    };
    this.emit();
  }

  /** Marks nodes and edges with the server's validation problems (empty map clears). */
  setProblems(nodeProblems: ReadonlyMap<string, readonly string[]>, edgeProblems: ReadonlyMap<string, readonly string[]> = new Map()): void {
    this.state = {
      nodes: this.state.nodes.map((n) => (n.data.problems === nodeProblems.get(n.id) ? n : { ...n, data: { ...n.data, problems: nodeProblems.get(n.id) } })),
      edges: this.state.edges.map((e) => (e.data.problems === edgeProblems.get(e.id) ? e : { ...e, data: { ...e.data, problems: edgeProblems.get(e.id) } })),
    };
    this.emit();
  }

  private restore(g: GraphState): void {
    // Keep what the browser measured, so restored nodes do not flicker through a re-measure.
    const measured = new Map(this.state.nodes.map((n) => [n.id, n.measured]));
    this.state = { ...g, nodes: g.nodes.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id)! } : n)) };
    this.emit();
  }

  private lastEdit: { key: string; at: number } | undefined;

  private edit(f: (g: GraphState) => GraphState, coalesceKey?: string): void {
    const now = Date.now();
    const merge = coalesceKey !== undefined && this.lastEdit?.key === coalesceKey && now - this.lastEdit.at < 1000;
    if (!merge) this.history.record(strip(this.state));
    this.lastEdit = coalesceKey !== undefined ? { key: coalesceKey, at: now } : undefined;
    this.state = f(this.state);
    this.emit();
  }

  private emit(quiet = false): void {
    if (!quiet) this.revision++;
    for (const l of this.listeners) l();
  }
}

const stripCache = new WeakMap<GraphState, GraphState>();

/** The graph as history and the dirty check see it: no selection, no run colours, no drag flags. */
function strip(g: GraphState): GraphState {
  const hit = stripCache.get(g);
  if (hit) return hit;
  const s: GraphState = {
    nodes: g.nodes.map((n) => (n.selected || n.dragging || n.data.status || n.data.problems ? { ...n, selected: false, dragging: false, data: { node: n.data.node } } : n)),
    edges: g.edges.map((e) => (e.selected || e.data.problems ? { ...e, selected: false, data: { condition: e.data.condition } } : e)),
  };
  stripCache.set(g, s);
  return s;
}

function sameGraph(a: GraphState, b: GraphState): boolean {
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x.id !== y.id || x.data.node !== y.data.node || x.position.x !== y.position.x || x.position.y !== y.position.y) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const x = a.edges[i]!;
    const y = b.edges[i]!;
    if (x.id !== y.id || x.source !== y.source || x.target !== y.target || x.sourceHandle !== y.sourceHandle || x.data.condition !== y.data.condition) return false;
  }
  return true;
}
