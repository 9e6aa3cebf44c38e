/** A readable node id unique in the workflow: `transform_3` reads better in `$nodes.transform_3` than a random one. */
export function nextNodeId(type: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${type}_${i}`;
    if (!taken.has(id)) return id;
  }
}

let edgeSeq = 0;

/** Edge ids only need to be unique; time + counter keeps ids from two tabs apart. */
export function newEdgeId(): string {
  edgeSeq = (edgeSeq + 1) % 1_000_000;
  return `edge_${Date.now().toString(36)}${edgeSeq.toString(36)}`;
}
