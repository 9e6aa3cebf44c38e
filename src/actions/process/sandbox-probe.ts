import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** The unprivileged user sandboxed steps run as (nobody/nogroup on Debian). */
export const SANDBOX_UID = 65534;

export type SandboxProbe =
  | { readonly ok: true; readonly bwrap: string; readonly setpriv: string | undefined }
  | { readonly ok: false; readonly reason: string };

function executable(candidates: readonly string[]): string | undefined {
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const runsAsRoot = () => process.getuid?.() === 0;

/**
 * The start of a sandbox command line: as root, setpriv drops to the sandbox user first so bwrap
 * creates its user namespace as that user (a root-made namespace would map the sandbox user to
 * root outside, which still owns every root-owned file the sandbox can see). Otherwise bwrap's
 * own user namespace maps the server's user to the sandbox uid.
 */
export function userPrefix(p: { bwrap: string; setpriv: string | undefined }): string[] {
  if (p.setpriv !== undefined) {
    return [p.setpriv, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all', '--', p.bwrap, '--unshare-user'];
  }
  return [p.bwrap, '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID)];
}

// A machine fact, not configuration: written once by the first probe, immutable after, the same for every app.
let probed: SandboxProbe | undefined;

/**
 * Whether a sandbox can be set up here, found out once by starting one (`true` in a sandbox
 * with every namespace steps use). The reason names the missing piece when it cannot.
 */
export function probeSandbox(): SandboxProbe {
  if (probed) return probed;
  const bwrap = executable(['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap']);
  const setpriv = runsAsRoot() ? executable(['/usr/bin/setpriv', '/bin/setpriv']) : undefined;
  if (bwrap === undefined) {
    probed = { ok: false, reason: 'bwrap not found: apt-get install bubblewrap' };
  } else if (runsAsRoot() && setpriv === undefined) {
    probed = { ok: false, reason: 'setpriv not found (needed to drop root): apt-get install util-linux' };
  } else {
    const argv = [...userPrefix({ bwrap, setpriv }), '--unshare-pid', '--unshare-ipc', '--unshare-net', '--die-with-parent', '--proc', '/proc', '--dev', '/dev', '--ro-bind', '/', '/', '--', '/bin/sh', '-c', 'true'];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: {}, timeout: 10_000 });
    probed = r.status === 0
      ? { ok: true, bwrap, setpriv }
      : { ok: false, reason: `bwrap cannot create namespaces here (${(r.stderr || String(r.error ?? r.status)).trim().slice(0, 200)}); allow user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run the server where they are allowed` };
  }
  return probed;
}
