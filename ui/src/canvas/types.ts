import type { NodeRunStatus, NodeType, WorkflowNode } from '../api/types';

/** What a canvas node carries: the workflow node (position lives on the canvas node) and what the run and the validator said. */
export type NodeData = {
  readonly node: Omit<WorkflowNode, 'position_x' | 'position_y'>;
  readonly status?: NodeRunStatus | undefined;
  readonly problems?: readonly string[] | undefined;
};

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** Structurally an @xyflow/react Node<NodeData>; kept free of React so the graph logic is plain TS. */
export interface EditorNode {
  readonly id: string;
  readonly type: 'itw';
  readonly position: XY;
  readonly data: NodeData;
  readonly selected?: boolean;
  readonly dragging?: boolean;
  readonly measured?: { readonly width?: number; readonly height?: number };
}

export type EdgeData = { readonly condition: string | null; readonly problems?: readonly string[] | undefined };

/** Structurally an @xyflow/react Edge<EdgeData>. */
export interface EditorEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly sourceHandle: string;
  readonly type: 'itw';
  readonly data: EdgeData;
  readonly selected?: boolean;
}

export interface GraphState {
  readonly nodes: readonly EditorNode[];
  readonly edges: readonly EditorEdge[];
}

/** The subset of @xyflow/react's change events the editor handles. */
export type NodeChange =
  | { readonly type: 'position'; readonly id: string; readonly position?: XY; readonly dragging?: boolean }
  | { readonly type: 'select'; readonly id: string; readonly selected: boolean }
  | { readonly type: 'remove'; readonly id: string }
  | { readonly type: 'dimensions'; readonly id: string; readonly dimensions?: { width: number; height: number } }
  | { readonly type: string; readonly id?: string };

export type EdgeChange =
  | { readonly type: 'select'; readonly id: string; readonly selected: boolean }
  | { readonly type: 'remove'; readonly id: string }
  | { readonly type: string; readonly id?: string };

export interface Connection {
  readonly source: string;
  readonly target: string;
  readonly sourceHandle?: string | null;
}

export type HandlesOf = (type: NodeType) => readonly string[];

/** Size used before the browser has measured a node (layout, paste offsets, fit). */
export const NODE_SIZE = { width: 220, height: 64 } as const;
