/**
 * What the incident list says when a filter shows nothing: named after the filter, and "All quiet."
 * only when nothing is open at all (an empty Resolved list with two open incidents is not quiet).
 */
export function incidentEmptyState(filter: string, openCount: number | undefined): { title: string; body: string } {
  const title = filter === 'All' ? 'No incidents' : `No ${filter.toLowerCase()} incidents`;
  if (openCount === undefined) return { title, body: '' };
  if (openCount === 0) return { title, body: 'All quiet.' };
  return { title, body: `${openCount} incident${openCount === 1 ? ' is' : 's are'} open: see Open.` };
}
