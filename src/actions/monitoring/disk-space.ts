import { readFile, realpath, statfs } from 'node:fs/promises';

/** One file system's space, in bytes, as `df` reports it. */
export interface DiskSpace {
  /** The path asked about (the mount point itself when all were listed). */
  readonly path: string;
  readonly mount: string;
  readonly filesystem: string;
  readonly size: number;
  readonly used: number;
  readonly avail: number;
  /** used / (used + avail), rounded up, like df's Capacity (root's reserve counts as unavailable). */
  readonly use_pct: number;
}

export function usePct(used: number, avail: number): number {
  return used + avail === 0 ? 0 : Math.ceil((used * 100) / (used + avail));
}

// `Filesystem 1024-blocks Used Available Capacity Mounted on`; names may hold spaces, so match from both ends.
const DF_LINE = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%|-)\s+(\/.*)$/;

/** Parses `df -P -k` output; `paths` (if given) are the operands, in order, one line each. */
export function parseDf(stdout: string, paths: readonly string[]): DiskSpace[] {
  const lines = stdout.split('\n').slice(1).filter((l) => l.trim() !== '');
  return lines.flatMap((line, i) => {
    const m = DF_LINE.exec(line);
    if (!m) return [];
    const [size, used, avail] = [m[2], m[3], m[4]].map((n) => Number(n) * 1024) as [number, number, number];
    return [{ path: paths[i] ?? m[6]!, mount: m[6]!, filesystem: m[1]!, size, used, avail, use_pct: m[5] === '-' ? 0 : Number(m[5]!.slice(0, -1)) }];
  });
}

/** `/proc/self/mounts` escapes space, tab, newline and backslash as octal. */
function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

async function mountOf(path: string): Promise<{ mount: string; filesystem: string }> {
  const real = await realpath(path);
  let best = { mount: '/', filesystem: 'unknown' };
  const table = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  for (const line of table.split('\n')) {
    const [device, dir] = line.split(' ');
    if (device === undefined || dir === undefined) continue;
    const mount = unescapeMount(dir);
    const under = real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
    if (under && mount.length >= best.mount.length) best = { mount, filesystem: unescapeMount(device) };
  }
  return best;
}

/** Space of the file system holding `path` on this host (statfs, as df computes it). */
export async function localDiskSpace(path: string): Promise<DiskSpace> {
  const s = await statfs(path);
  const size = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  return { path, ...(await mountOf(path)), size, used, avail, use_pct: usePct(used, avail) };
}
