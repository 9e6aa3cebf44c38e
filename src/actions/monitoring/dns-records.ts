import type { Resolver } from 'node:dns/promises';

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** One answer in one shape for every type: `value` is the address, name or text; the rest where the type has it. */
export interface DnsRecord {
  value: string;
  ttl?: number;
  priority?: number;
  weight?: number;
  port?: number;
}

/** Asks `resolver` for `type` records of `name`, normalised to DnsRecord. */
export async function queryRecords(resolver: Resolver, name: string, type: RecordType): Promise<DnsRecord[]> {
  switch (type) {
    case 'A':
      return (await resolver.resolve4(name, { ttl: true })).map((r) => ({ value: r.address, ttl: r.ttl }));
    case 'AAAA':
      return (await resolver.resolve6(name, { ttl: true })).map((r) => ({ value: r.address, ttl: r.ttl }));
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((value) => ({ value }));
    case 'NS':
      return (await resolver.resolveNs(name)).map((value) => ({ value }));
    case 'MX':
      return (await resolver.resolveMx(name)).map((r) => ({ value: r.exchange, priority: r.priority }));
    case 'TXT':
      // A TXT record is a list of strings of at most 255 bytes; readers mean their concatenation.
      return (await resolver.resolveTxt(name)).map((chunks) => ({ value: chunks.join('') }));
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((r) => ({ value: r.name, priority: r.priority, weight: r.weight, port: r.port }));
    default: {
      const never: never = type;
      throw new Error(`unhandled record type ${String(never)}`);
    }
  }
}
