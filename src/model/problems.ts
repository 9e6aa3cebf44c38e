/** One thing wrong with a definition, located by a JSON path such as `/nodes/2/config/url`. */
export interface Problem {
  /** JSON pointer into the definition document. */
  readonly path: string;
  /** Stable machine-readable kind, e.g. `unknown_node_type`, `cycle`, `expression_syntax`. */
  readonly code: string;
  readonly message: string;
  /** Node ids involved (a cycle's members, the node with a bad config...). */
  readonly node_ids?: readonly string[];
  /** Expression problems: the expression (or template string) and where in it, for a caret under it. */
  readonly excerpt?: { readonly text: string; readonly position: number };
}

export const PROBLEM_CODES = {
  invalidDocument: 'invalid_document',
  unknownNodeType: 'unknown_node_type',
  unavailableNodeType: 'node_type_unavailable',
  duplicateId: 'duplicate_id',
  missingNode: 'missing_node',
  unknownHandle: 'unknown_handle',
  cycle: 'cycle',
  expressionSyntax: 'expression_syntax',
  invalidConfig: 'invalid_config',
  unknownAction: 'unknown_action',
  templateInCode: 'template_in_code',
  loopBody: 'loop_body',
  errorHandler: 'error_handler',
  parse: 'parse_error',
  /** The document is too big, too deep or expands too much (alias bomb) to be read safely. */
  limitExceeded: 'limit_exceeded',
} as const;
export type ProblemCode = (typeof PROBLEM_CODES)[keyof typeof PROBLEM_CODES];

export function problem(path: string, code: ProblemCode, message: string, node_ids?: readonly string[]): Problem {
  return node_ids ? { path, code, message, node_ids } : { path, code, message };
}
