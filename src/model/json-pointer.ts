/** Builds a JSON pointer (RFC 6901) such as `/nodes/3/config/headers/Authorization`. */
export function jsonPointer(...segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
