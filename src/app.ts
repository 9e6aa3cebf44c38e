import type { Clock } from './engine/clock.js';
import { builtinActions } from './actions/catalog.js';
import type { ActionCatalog } from './actions/define-action.js';
import { Engine } from './engine/engine.js';
import type { Config } from './config/config.js';
import type { Catalog } from './model/node-spec.js';
import { createNodeRegistry } from './nodes/registry.js';
import { NODE_TYPE_SPECS } from './nodes/specs.js';
import { openStore, type Store } from './store/connect.js';

export interface App {
  readonly store: Store;
  readonly engine: Engine;
  readonly actions: ActionCatalog;
  /** What validation checks definitions against. */
  readonly catalog: Catalog;
  close(): Promise<void>;
}

/** What validation needs from the node types and actions; no store or engine required. */
export function validationCatalog(actions: ActionCatalog = builtinActions()): Catalog {
  return { nodeTypes: NODE_TYPE_SPECS, actions: new Map([...actions].map(([id, a]) => [id, { id, params: a.params }])) };
}

/** The composition root: the only place implementations are wired together. */
export async function createApp(config: Config, opts: { clock?: Clock; schema?: string } = {}): Promise<App> {
  const store = await openStore({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(opts.schema ? { schema: opts.schema } : {}) });
  const actions = builtinActions();
  const engine = new Engine({
    store: store.engine,
    registry: createNodeRegistry(actions),
    leaseMs: config.leaseMs,
    maxConcurrentSteps: config.maxConcurrentSteps,
    // Embedded SQLite is one process by construction: whatever was running belonged to a dead process.
    takeOverLeases: store.dialect === 'sqlite',
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  await engine.start();
  return {
    store, engine, actions, catalog: validationCatalog(actions),
    async close() {
      await engine.stop();
      await store.close();
    },
  };
}
