import { describe, expect, it } from 'vitest';
import { checkErrorHandlers } from './check-error-handlers.js';
import { definition, edge, node, testCatalog } from './test-catalog.js';

describe('checkErrorHandlers', () => {
  //  t ─> a ─error─> catch (error_handler with an incoming edge: a normal catch path)
  //  h (graph-level) ─> page
  it('accepts a separate error subgraph and catch paths', () => {
    const def = definition(
      [node('t', 'trigger'), node('a', 'action'), node('catch', 'error_handler'), node('h', 'error_handler'), node('page', 'notification')],
      [edge('t', 'a'), edge('a', 'catch', 'error'), edge('h', 'page')],
    );
    expect(checkErrorHandlers(def, testCatalog)).toEqual([]);
  });

  //  t ─> a ─> page <─ h (graph-level)
  it('reports a node fed by both a graph-level error handler and the normal flow', () => {
    const def = definition(
      [node('t', 'trigger'), node('a', 'action'), node('h', 'error_handler'), node('page', 'notification')],
      [edge('t', 'a'), edge('h', 'page'), edge('a', 'page')],
    );
    expect(checkErrorHandlers(def, testCatalog)).toEqual([
      {
        path: '/edges/2',
        code: 'error_handler',
        message: 'node "page" runs after error handler "h" but is also reached from "a" on the normal path',
        node_ids: ['page'],
      },
    ]);
  });
});
