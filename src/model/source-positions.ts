import { isNode, LineCounter, parseDocument, type Node } from 'yaml';

/** 1-based line and column in a definition file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Maps JSON pointers into a YAML (or JSON: YAML reads it too) definition to where they are written.
 * A pointer to something absent (a missing property) lands on its nearest written ancestor, so every
 * problem gets a line. Undefined only when the text does not parse.
 */
export function sourcePositions(text: string): ((pointer: string) => SourcePosition | undefined) | undefined {
  const counter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: counter });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  return (pointer) => {
    const path = segments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = path.length; n >= 0; n--) {
      const found: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(found) && (found as Node).range) {
        const { line, col } = counter.linePos((found as Node).range![0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
}
