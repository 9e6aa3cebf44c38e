/**
 * Scopes name where a node run lives: '' at the top level, `loop[3]` for iteration 3 of node `loop`,
 * `outer[1]/inner[0]` when loops nest. A run is keyed by scope + node id (+ attempt).
 */
export const ROOT_SCOPE = '';

export function iterationScope(parent: string, loopId: string, index: number): string {
  const segment = `${loopId}[${index}]`;
  return parent === ROOT_SCOPE ? segment : `${parent}/${segment}`;
}

export interface ScopeSegment {
  readonly loopId: string;
  readonly index: number;
}

const SEGMENT = /^(.*)\[(\d+)\]$/;

export function parseScope(scope: string): ScopeSegment[] {
  if (scope === ROOT_SCOPE) return [];
  return scope.split('/').map((part) => {
    const m = SEGMENT.exec(part);
    if (!m) throw new Error(`malformed scope "${scope}"`);
    return { loopId: m[1]!, index: Number(m[2]) };
  });
}

/** The scope enclosing `scope` and the loop iteration that `scope` is, or undefined at the top. */
export function splitScope(scope: string): { parent: string; loopId: string; index: number } | undefined {
  const segments = parseScope(scope);
  const last = segments.pop();
  if (!last) return undefined;
  const parent = segments.map((s) => `${s.loopId}[${s.index}]`).join('/');
  return { parent, loopId: last.loopId, index: last.index };
}

/** Every scope from the top down to `scope` itself. */
export function scopeChain(scope: string): string[] {
  const chain = [ROOT_SCOPE];
  if (scope === ROOT_SCOPE) return chain;
  const parts = scope.split('/');
  for (let i = 1; i <= parts.length; i++) chain.push(parts.slice(0, i).join('/'));
  return chain;
}
