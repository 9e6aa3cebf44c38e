import { NotFoundError } from '../model/errors.js';
import { compileGraph, type CompiledGraph } from './compiled-graph.js';
import type { NodeRegistry } from './node-handler.js';
import type { EngineStore, VersionRecord } from './store-port.js';

/** Versions never change once stored, so each is fetched and compiled once per process. */
export class GraphCache {
  private readonly graphs = new Map<string, CompiledGraph>();

  constructor(
    private readonly store: Pick<EngineStore, 'getVersion'>,
    private readonly registry: NodeRegistry,
  ) {}

  of(version: VersionRecord): CompiledGraph {
    let g = this.graphs.get(version.id);
    if (!g) {
      g = compileGraph(version.definition, this.registry);
      this.graphs.set(version.id, g);
    }
    return g;
  }

  /** The compiled version if this process has it, without fetching it. */
  known(versionId: string): CompiledGraph | undefined {
    return this.graphs.get(versionId);
  }

  async byId(versionId: string): Promise<CompiledGraph> {
    const known = this.graphs.get(versionId);
    if (known) return known;
    const version = await this.store.getVersion(versionId);
    if (!version) throw new NotFoundError('workflow version', versionId);
    return this.of(version);
  }
}
