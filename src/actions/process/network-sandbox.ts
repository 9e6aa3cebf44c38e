import { spawnSync } from 'node:child_process';

/**
 * How to start a process without network access: in a new network namespace (only a down loopback
 * inside), with `unshare --net` as root or `unshare --map-root-user --net` where unprivileged user
 * namespaces are allowed. Probed once; undefined when neither works here.
 */
// A machine fact, not configuration: written once by the first probe, immutable after, the same for every app.
let probed: readonly string[] | null | undefined;

export function noNetworkPrefix(): readonly string[] | undefined {
  if (probed === undefined) {
    probed = null;
    for (const prefix of [['unshare', '--net', '--'], ['unshare', '--map-root-user', '--net', '--']]) {
      if (spawnSync(prefix[0]!, [...prefix.slice(1), 'true'], { stdio: 'ignore' }).status === 0) {
        probed = prefix;
        break;
      }
    }
  }
  return probed ?? undefined;
}
