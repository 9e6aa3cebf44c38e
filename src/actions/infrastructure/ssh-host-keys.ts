import { createHash, createHmac } from 'node:crypto';

/**
 * Which SSH host keys a connection accepts. Known keys by default: an `ssh_key` credential pins its
 * host with `host_key_fingerprint` (`SHA256:…`, several allowed, comma or space separated) and/or
 * `known_hosts` (OpenSSH known_hosts lines, hashed or not). Without either the connection is
 * refused (`ssh_host_key_unknown`, naming the key it saw so it can be checked and pinned) unless the
 * credential opts out with `accept_any_host_key: true`, which every step using it logs.
 */
export interface HostKeyPolicy {
  readonly fingerprints: readonly string[];
  readonly acceptAny: boolean;
}

/** `SHA256:…` of a raw host key blob, as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern === name;
}

/** Fingerprints of the keys `known_hosts` text lists for the host (markers such as @revoked are skipped). */
export function knownHostsFingerprints(text: string, host: string, port: number): string[] {
  const name = hostName(host, port);
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const [patterns, , key] = line.split(/\s+/);
    if (!patterns || !key) continue;
    if (patterns.split(',').some((p) => patternMatches(p, name))) out.push(fingerprint(Buffer.from(key, 'base64')));
  }
  return out;
}

/** The policy an `ssh_key` credential's fields give for its host. */
export function hostKeyPolicy(data: Readonly<Record<string, string | undefined>>, host: string, port: number): HostKeyPolicy {
  const pinned = (data['host_key_fingerprint'] ?? '').split(/[\s,]+/).filter(Boolean);
  const known = data['known_hosts'] ? knownHostsFingerprints(data['known_hosts'], host, port) : [];
  return { fingerprints: [...pinned, ...known], acceptAny: ['true', '1', 'yes'].includes((data['accept_any_host_key'] ?? '').trim().toLowerCase()) };
}

/** Whether a key is accepted under a policy. */
export function hostKeyAccepted(policy: HostKeyPolicy, seen: string): boolean {
  return policy.acceptAny || policy.fingerprints.includes(seen);
}
