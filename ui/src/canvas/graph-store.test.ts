import { describe, expect, it } from 'vitest';
import { GraphStore } from './graph-store';
import { handlesFrom } from './handles';

function store() {
  const s = new GraphStore(handlesFrom(undefined));
  s.load({
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' }, position_x: 0, position_y: 0 },
      { id: 'double', node_type: 'transform', config: { expression: '$input * 2' }, position_x: 300, position_y: 0 },
    ],
    edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'double' }],
  });
  return s;
}

describe('GraphStore', () => {
  it('connects through the handle rules and says why it refuses', () => {
    const s = store();
    const id = s.addNode('condition', { x: 600, y: 0 });
    expect(s.connect({ source: 'double', target: id, sourceHandle: 'out' })).toBeNull();
    expect(s.connect({ source: id, target: 'start', sourceHandle: 'true' })).toMatch(/trigger/);
    expect(s.toDefinition().edges.map((e) => `${e.source_node_id}.${e.source_handle}>${e.target_node_id}`)).toEqual(['start.out>double', 'double.out>condition_1']);
  });

  it('undoes and redoes edits; a drag is one step', () => {
    const s = store();
    s.nodeChanges([{ type: 'position', id: 'double', position: { x: 310, y: 5 }, dragging: true }]);
    s.nodeChanges([{ type: 'position', id: 'double', position: { x: 400, y: 50 }, dragging: true }]);
    s.nodeChanges([{ type: 'position', id: 'double', dragging: false }]);
    s.updateNode('double', { label: 'Double' });
    expect(s.dirty).toBe(true);
    s.undo();
    expect(s.getState().nodes[1]!.data.node.label).toBeUndefined();
    expect(s.getState().nodes[1]!.position).toEqual({ x: 400, y: 50 });
    s.undo();
    expect(s.getState().nodes[1]!.position).toEqual({ x: 300, y: 0 });
    expect(s.dirty).toBe(false);
    s.redo();
    s.redo();
    expect(s.getState().nodes[1]!.data.node.label).toBe('Double');
  });

  it('keeps a drag out of the summary the panels render, until it ends', () => {
    const s = store();
    const before = s.getSummary();
    s.nodeChanges([{ type: 'position', id: 'double', position: { x: 310, y: 5 }, dragging: true }]);
    expect(s.getSummary()).toBe(before);
    s.nodeChanges([{ type: 'position', id: 'double', dragging: false }]);
    expect(s.getSummary()).not.toBe(before);
    expect(s.getSummary().dirty).toBe(true);
  });

  it('copies the selection with its inner edges and pastes it under fresh ids', () => {
    const s = store();
    s.selectAll();
    expect(s.copy()).toBe(2);
    expect(s.paste()).toBe(2);
    const def = s.toDefinition();
    expect(def.nodes.map((n) => n.id)).toEqual(['start', 'double', 'trigger_1', 'transform_1']);
    expect(def.edges.filter((e) => e.source_node_id === 'trigger_1').map((e) => e.target_node_id)).toEqual(['transform_1']);
    expect(def.nodes[3]).toMatchObject({ position_x: 340, position_y: 40, config: { expression: '$input * 2' } });
  });

  it('deletes the selection and the edges touching it', () => {
    const s = store();
    s.select(['double']);
    s.deleteSelected();
    expect(s.toDefinition()).toMatchObject({ nodes: [{ id: 'start' }], edges: [] });
  });

  it('writes back only what the API takes: no null retry or timeout, no empty label', () => {
    const s = store();
    s.updateNode('double', { label: '', retry: null, timeout_seconds: null, disabled: false });
    expect(s.toDefinition().nodes[1]).toEqual({ id: 'double', node_type: 'transform', config: { expression: '$input * 2' }, position_x: 300, position_y: 0 });
  });
});
