import { describe, expect, it } from 'vitest';
import { documentProblems } from './validate/document-problems.js';

const base = { name: 'w', nodes: [{ id: 'a', node_type: 'trigger', config: {} }], edges: [] };

describe('DefinitionDocumentSchema', () => {
  it('accepts the export keys id, version and status, and a document without edges', () => {
    expect(documentProblems({ ...base, id: 'wf_1', version: 4, status: 'active' })).toEqual([]);
    expect(documentProblems({ name: 'w', nodes: [] })).toEqual([]);
  });

  it('catches typos in nodes, edges, settings and at the top level', () => {
    const doc = {
      ...base,
      descripton: 'typo',
      settings: { retry_on_failure: 'yes' },
      nodes: [{ id: 'a', node_type: 'trigger', config: {}, timeout: 5 }],
      edges: [{ source_node_id: 'a', target_node_id: 'a', handle: 'out' }],
    };
    expect(documentProblems(doc).map((p) => [p.path, p.message])).toEqual([
      ['/descripton', expect.stringContaining('unknown property "descripton"')],
      ['/settings/retry_on_failure', 'expected boolean'],
      ['/nodes/0/timeout', expect.stringContaining('unknown property "timeout"')],
      ['/edges/0/handle', expect.stringContaining('unknown property "handle"')],
    ]);
  });

  it('enforces ranges and enumerations', () => {
    const doc = {
      ...base,
      settings: { timeout_seconds: -1 },
      variables: [{ name: 'v', type: 'date' }],
      nodes: [{ id: 'a', node_type: 'trigger', config: {}, retry: { max_attempts: 101, backoff: 'linear', initial_seconds: -2 } }],
    };
    expect(documentProblems(doc).map((p) => [p.code, p.path])).toEqual([
      ['invalid_document', '/settings/timeout_seconds'],
      ['invalid_document', '/variables/0/type'],
      ['invalid_document', '/nodes/0/retry/max_attempts'],
      ['invalid_document', '/nodes/0/retry/backoff'],
      ['invalid_document', '/nodes/0/retry/initial_seconds'],
    ]);
  });
});
