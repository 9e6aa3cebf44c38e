/**
 * Ids for a document's edges: the written id, else `edge_<index>` (suffixed `_2`, `_3`... when a
 * written id already took it), so generated ids never collide and stay stable across saves.
 */
export function edgeIds(written: readonly (string | undefined)[]): string[] {
  const taken = new Set(written.filter((id): id is string => id !== undefined));
  return written.map((id, index) => {
    if (id !== undefined) return id;
    let generated = `edge_${index}`;
    for (let n = 2; taken.has(generated); n += 1) generated = `edge_${index}_${n}`;
    taken.add(generated);
    return generated;
  });
}
