import type { TSchema } from '@sinclair/typebox';
import type { CodeParams } from './code-fields.js';
import type { NodeType } from './types.js';

/**
 * What validation (and the UI, and the API's node-type list) needs to know about a node type.
 * `nodes/` provides one per type; the model stays free of handlers and I/O.
 */
export interface NodeTypeSpec {
  readonly type: NodeType;
  readonly label: string;
  readonly description: string;
  /** JSON Schema of `config`. */
  readonly configSchema: TSchema;
  /** Output handles edges may leave from. */
  readonly handles: readonly string[];
  /** Handle an edge without `source_handle` leaves from; undefined means the edge must name one. */
  readonly defaultHandle: string | undefined;
  /** Config keys holding raw JSONata (everything else may hold `{{ }}` templates). */
  readonly expressionFields: readonly string[];
  /** Config keys taken verbatim: neither templates nor JSONata (a script's code). */
  readonly rawFields?: readonly string[];
  /** Per raw field: how to pass a value into it instead of a template (shown when one is refused). */
  readonly rawFieldHints?: Readonly<Record<string, string>>;
  /** False while the type exists in the format but not in this version of the engine. */
  readonly available: boolean;
}

/** The slice of an action's catalogue entry validation needs. */
export interface ActionSpec {
  readonly id: string;
  readonly params: TSchema;
  /** Params holding code (SQL, shell lines, script source, argv programs): never templated. */
  readonly codeParams?: CodeParams;
}

export interface Catalog {
  readonly nodeTypes: ReadonlyMap<NodeType, NodeTypeSpec>;
  readonly actions: ReadonlyMap<string, ActionSpec>;
}
