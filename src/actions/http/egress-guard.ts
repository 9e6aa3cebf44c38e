import { lookup } from 'node:dns';
import { lookup as lookupAsync } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { hostMatches } from '../../model/credential-hosts.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { undici } from './undici-module.js';

/** A refused outbound connection or credential use, reported to the audit log. */
export interface EgressRefusal {
  readonly code: 'egress_denied' | 'credential_host_denied';
  readonly host: string;
  readonly ip?: string;
  /** Id of the credential that was kept from `host`. */
  readonly credential_id?: string;
  /** `http`, `postgres`, `mysql`, `ssh`, `smtp`. */
  readonly protocol: string;
}

/**
 * The one egress policy for every outbound connection a workflow makes: HTTP (api_call, call_api,
 * http_request, vendor APIs, webhooks), databases (pg, mysql2, pg_dump, mariadb-dump), SSH and
 * SMTP. With `blockPrivate`, a connection to an address in the IANA special-purpose registries
 * (loopback, private, link-local / cloud metadata, CGNAT, documentation, benchmarking, NAT64 /
 * IPv4-mapped forms of those, multicast, unspecified...) is refused unless allow-listed. The check
 * runs on the address actually dialled (HTTP: in the connector; others: the caller connects to the
 * address `resolveEgress` checked), so DNS answers that change between check and connect
 * (rebinding) and redirects to internal hosts are caught too.
 */
export interface EgressPolicy {
  readonly blockPrivate: boolean;
  /** Host names (`*.corp.example` wildcards), IP addresses or CIDR ranges that may be reached even when private. */
  readonly allow: readonly string[];
  /** Told about every refusal (the audit log); must not throw. */
  readonly onRefusal?: (refusal: EgressRefusal) => void;
}

const V4_DENIED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
// ::ffff:0:0/96 (mapped), 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) are judged by the IPv4 address they embed.
const V6_DENIED: ReadonlyArray<readonly [string, number]> = [
  ['::', 96], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['3fff::', 20],
  ['5f00::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];

const DENIED = new BlockList();
for (const [net, prefix] of V4_DENIED) DENIED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6_DENIED) DENIED.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address stands for. */
export function embeddedIpv4(ip: string): string | undefined {
  if (isIP(ip) !== 6) return undefined;
  const words = expandIpv6(ip);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return undefined;
}

function expandIpv6(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** True when `ip` is in a special-purpose range (its embedded IPv4 address for mapped/NAT64/6to4 forms). */
export function isSpecialPurpose(ip: string): boolean {
  const v4 = embeddedIpv4(ip);
  if (v4 !== undefined) return DENIED.check(v4, 'ipv4');
  return DENIED.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

let baseConnector: buildConnector.connector | undefined;
const base: buildConnector.connector = (opts, callback) => {
  baseConnector ??= undici().buildConnector({});
  baseConnector(opts, callback);
};

/** TLS material a request brings: PEM text of a private CA, a client certificate and its key. */
export interface TlsMaterial {
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * One app's egress policy, compiled once by the composition root and passed to every outbound
 * connection in the action context (ActionServices.egress). There is no process-wide policy: two
 * apps in one process each judge their own connections, and a connection made without a guard
 * does not compile.
 */
export class EgressGuard {
  readonly blockPrivate: boolean;
  private readonly allowed = new BlockList();
  private readonly allowedHosts: string[] = [];
  private readonly onRefusal: EgressPolicy['onRefusal'];
  private pool: Agent | undefined;

  constructor(policy: EgressPolicy) {
    this.blockPrivate = policy.blockPrivate;
    this.onRefusal = policy.onRefusal;
    for (const entry of policy.allow.map((a) => a.trim()).filter(Boolean)) {
      const [addr, bits] = entry.replace(/^\[|\]$/g, '').split('/');
      const family = isIP(addr ?? '');
      if (family === 0) this.allowedHosts.push(entry.toLowerCase());
      else if (bits === undefined) this.allowed.addAddress(addr!, family === 4 ? 'ipv4' : 'ipv6');
      else this.allowed.addSubnet(addr!, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /**
   * This guard's HTTP connection pool: keep-alive connections are reused across steps, and the
   * connector judges every new connection (redirect hops included); pooled ones were judged when opened.
   */
  get dispatcher(): Agent {
    this.pool ??= new (undici().Agent)({ connect: this.connector });
    return this.pool;
  }

  /** Closes the pool's idle connections (app close). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Reports a refusal to the policy's sink (the audit log); a failing sink never changes the outcome. */
  reportRefusal(refusal: EgressRefusal): void {
    try {
      this.onRefusal?.(refusal);
    } catch {
      // auditing must not turn a refusal into a different error
    }
  }

  /** Throws `egress_denied` (and audits it) when `ip`, reached for `host`, is an address the policy keeps workflows away from. */
  check(host: string, ip: string, protocol = 'http'): void {
    if (!this.blockPrivate || this.isAllowedHost(host) || this.isAllowedAddress(ip) || !isSpecialPurpose(ip)) return;
    this.reportRefusal({ code: 'egress_denied', host, ip, protocol });
    throw new NonRetryableError('egress_denied', `connection to ${host} (${ip}) refused: private, loopback, link-local and other special-purpose addresses are blocked; allow it with ITW_EGRESS_ALLOW`, { details: { host, ip } });
  }

  /**
   * Resolves `host` and checks every address it has; returns the address to connect to (the caller
   * dials it, keeping `host` for TLS server names), or `host` itself when the guard is off. Every
   * answer must pass, or a name with one public and one internal address would be a way in.
   */
  async resolve(host: string, protocol: string): Promise<string> {
    const bare = host.replace(/^\[|\]$/g, '');
    if (!this.blockPrivate) return bare;
    if (isIP(bare)) {
      this.check(bare, bare, protocol);
      return bare;
    }
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookupAsync(bare, { all: true });
    } catch (cause) {
      throw new RetryableError('dns_error', `cannot resolve ${bare}`, { cause, details: { host: bare } });
    }
    for (const a of addresses) this.check(bare, a.address, protocol);
    return addresses[0]!.address;
  }

  /** An undici connector that dials only addresses the policy allows, resolving names itself. */
  readonly connector: buildConnector.connector = (opts, callback) => this.guardedConnect(base, opts, callback);

  /**
   * A pool for requests that bring their own TLS material (a private CA, a client certificate: the
   * Kubernetes API, a Docker daemon over TLS): it dials under this policy like `dispatcher`. One per
   * credential use; the caller closes it.
   */
  tlsDispatcher(tls: TlsMaterial): Agent {
    const connect = undici().buildConnector({
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      ...(tls.cert === undefined ? {} : { cert: tls.cert }),
      ...(tls.key === undefined ? {} : { key: tls.key }),
    });
    return new (undici().Agent)({ connect: (opts, callback) => this.guardedConnect(connect, opts, callback) });
  }

  private guardedConnect(connect: buildConnector.connector, opts: buildConnector.Options, callback: buildConnector.Callback): void {
    if (!this.blockPrivate) return connect(opts, callback);
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const dial = (ip: string) => {
      try {
        this.check(host, ip);
      } catch (err) {
        callback(err as Error, null);
        return;
      }
      connect({ ...opts, hostname: ip, ...(isIP(host) ? {} : { servername: opts.servername ?? host }) }, callback);
    };
    if (isIP(host)) return dial(host);
    lookup(host, { all: true }, (err, addresses) => {
      if (err) return callback(err, null);
      for (const a of addresses) {
        try {
          this.check(host, a.address);
        } catch (e) {
          return callback(e as Error, null);
        }
      }
      dial(addresses[0]!.address);
    });
  }

  private isAllowedAddress(ip: string): boolean {
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(ip, family)) return true;
    const v4 = embeddedIpv4(ip);
    return v4 !== undefined && this.allowed.check(v4, 'ipv4');
  }

  private isAllowedHost(host: string): boolean {
    const h = host.toLowerCase();
    return this.allowedHosts.some((pattern) => hostMatches(pattern, h));
  }
}
