const MAX_QUOTE_CHARS = 60;

/** The start of a user text on one line, quoted, for plans and log lines: `"Critical incident det…"`. */
export function quoted(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > MAX_QUOTE_CHARS ? `${line.slice(0, MAX_QUOTE_CHARS - 1)}…` : line}"`;
}
