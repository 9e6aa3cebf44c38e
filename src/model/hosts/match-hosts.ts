import type { Host, HostTargets } from './host.js';

export interface MatchedHosts {
  /** Hosts named first, in the order given; then the tag matches by name; each once. */
  readonly hosts: readonly Host[];
  /** Names asked for that the inventory does not have. */
  readonly unknownNames: readonly string[];
}

/**
 * The hosts a `targets` selects: those carrying every tag in `tags` (when given), plus those named in
 * `names`, less those in `exclude_names`. Nothing selected by an empty `targets`: a fleet step never means "everything" by accident.
 */
export function matchHosts(inventory: readonly Host[], targets: HostTargets): MatchedHosts {
  const tags = targets.tags ?? [];
  const names = new Set(targets.names ?? []);
  const byName = new Map(inventory.map((h) => [h.name, h]));
  const excluded = new Set(targets.exclude_names ?? []);
  const chosen = new Map<string, Host>();
  for (const n of names) {
    const h = byName.get(n);
    if (h && !excluded.has(n)) chosen.set(n, h);
  }
  if (tags.length > 0) {
    const tagged = inventory.filter((h) => tags.every((t) => h.tags.includes(t)));
    for (const h of [...tagged].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) if (!chosen.has(h.name) && !excluded.has(h.name)) chosen.set(h.name, h);
  }
  return {
    hosts: [...chosen.values()],
    unknownNames: [...names].filter((n) => !byName.has(n)),
  };
}
