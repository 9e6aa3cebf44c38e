/** What the Hosts page filters on: pure functions over the listed hosts (host-filter.test.ts). */
export interface TaggedHost {
  readonly name: string;
  readonly address: string;
  readonly tags: readonly string[];
}

/** Every tag any host carries, each once, sorted: the filter chips. */
export function allTags(hosts: readonly TaggedHost[]): string[] {
  return [...new Set(hosts.flatMap((h) => h.tags))].sort();
}

/** Hosts carrying every selected tag whose name or address contains the search text (case-insensitive). */
export function filterHosts<H extends TaggedHost>(hosts: readonly H[], tags: readonly string[], text: string): H[] {
  const q = text.trim().toLowerCase();
  return hosts.filter((h) => tags.every((t) => h.tags.includes(t)) && (q === '' || h.name.toLowerCase().includes(q) || h.address.toLowerCase().includes(q)));
}

/** Selecting a chip adds its tag; selecting it again removes it. */
export function toggleTag(selected: readonly string[], tag: string): string[] {
  return selected.includes(tag) ? selected.filter((t) => t !== tag) : [...selected, tag].sort();
}

/** The `targets` a fleet step needs to run on the hosts the filter shows (for copying into a node). */
export function targetsFor(tags: readonly string[]): string {
  return JSON.stringify({ targets: { tags } });
}
