import { lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';
import { NonRetryableError } from '../../model/errors.js';

/**
 * SSRF guard for every outbound HTTP request (api_call, call_api, http_request, webhooks): with
 * `blockPrivate`, a connection to loopback, private, link-local (cloud metadata), CGNAT, multicast
 * or unspecified addresses is refused unless the host or address is allow-listed. The check runs in
 * the connector, on the address actually dialled, so DNS answers that change between a check and the
 * connect (rebinding) and redirects to internal hosts are caught too.
 */
export interface EgressPolicy {
  readonly blockPrivate: boolean;
  /** Hostnames, IP addresses or CIDR ranges that may be reached even when private. */
  readonly allow: readonly string[];
}

const DENIED = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  DENIED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['::ffff:0:0', 96]] as const) {
  DENIED.addSubnet(net, prefix, 'ipv6');
}

let policy: EgressPolicy = { blockPrivate: false, allow: [] };
let allowed = new BlockList();
let allowedHosts = new Set<string>();

export function setEgressPolicy(next: EgressPolicy): void {
  policy = next;
  allowed = new BlockList();
  allowedHosts = new Set();
  for (const entry of next.allow.map((a) => a.trim()).filter(Boolean)) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr ?? '');
    if (family === 0) allowedHosts.add(entry.toLowerCase());
    else if (bits === undefined) allowed.addAddress(addr!, family === 4 ? 'ipv4' : 'ipv6');
    else allowed.addSubnet(addr!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
  }
}

export function egressPolicy(): EgressPolicy {
  return policy;
}

/** Throws when `ip` (reached for `host`) is an address the policy keeps requests away from. */
export function checkEgress(host: string, ip: string): void {
  if (!policy.blockPrivate || allowedHosts.has(host.toLowerCase())) return;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (allowed.check(ip, family) || !DENIED.check(ip, family)) return;
  throw new NonRetryableError('egress_denied', `request to ${host} (${ip}) refused: private, loopback or link-local addresses are blocked; allow it with ITW_EGRESS_ALLOW`, { details: { host, ip } });
}

const base = buildConnector({});

/** An undici connector that dials only addresses the policy allows, resolving names itself. */
export const guardedConnector: buildConnector.connector = (opts, callback) => {
  if (!policy.blockPrivate) return base(opts, callback);
  const host = opts.hostname.replace(/^\[|\]$/g, '');
  const dial = (ip: string) => {
    try {
      checkEgress(host, ip);
    } catch (err) {
      callback(err as Error, null);
      return;
    }
    base({ ...opts, hostname: ip, ...(isIP(host) ? {} : { servername: opts.servername ?? host }) }, callback);
  };
  if (isIP(host)) return dial(host);
  lookup(host, { all: true }, (err, addresses) => {
    if (err) return callback(err, null);
    // Every answer must pass, or a name with one public and one internal address would be a way in.
    for (const a of addresses) {
      try {
        checkEgress(host, a.address);
      } catch (e) {
        return callback(e as Error, null);
      }
    }
    dial(addresses[0]!.address);
  });
};
