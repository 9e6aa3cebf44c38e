import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { queryRecords, RECORD_TYPES } from './dns-records.js';

const ID = 'dns_lookup';
const DEFAULT_TIMEOUT_SECONDS = 5;
/** The name exists without records of that type, or does not exist: an answer, not a failure. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);
/** The server answered "no" in a way a repeat will not change. */
const REFUSED = new Set(['EREFUSED', 'EFORMERR', 'EBADNAME', 'EBADQUERY', 'ENOTIMP']);

const DnsLookupParams = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9_*](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$', description: 'Domain name to look up' }),
    type: Type.Optional(Type.Union(RECORD_TYPES.map((t) => Type.Literal(t)), { default: 'A', description: 'Record type. Default A' })),
    server: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'DNS server to ask, as ip, ip:port or [ipv6]:port. Default: the resolvers the server is configured with' }),
    ),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 60, default: DEFAULT_TIMEOUT_SECONDS, description: 'Per query' })),
  },
  { additionalProperties: false },
);

const DnsLookupOutput = Type.Object({
  name: Type.String(),
  type: Type.String(),
  found: Type.Boolean({ description: 'At least one record came back' }),
  records: Type.Array(
    Type.Object({
      value: Type.String({ description: 'Address, host name or text' }),
      ttl: Type.Optional(Type.Integer({ description: 'Seconds (A and AAAA)' })),
      priority: Type.Optional(Type.Integer({ description: 'MX and SRV' })),
      weight: Type.Optional(Type.Integer({ description: 'SRV' })),
      port: Type.Optional(Type.Integer({ description: 'SRV' })),
    }),
  ),
  latency_ms: Type.Number(),
});

/** `1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]:5353` → its IP, and the form Resolver.setServers takes. */
function parseServer(raw: string): { ip: string; server: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(raw);
  const v4Port = /^([\d.]+):(\d{1,5})$/.exec(raw);
  const [ip, port] = bracketed ? [bracketed[1]!, bracketed[2]] : v4Port ? [v4Port[1]!, v4Port[2]] : [raw, undefined];
  const family = isIP(ip);
  if (family === 0 || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw invalidParam(ID, '/server', 'must be an IP address, optionally with :port (IPv6 as [addr]:port)');
  }
  return { ip, server: port === undefined ? ip : family === 6 ? `[${ip}]:${port}` : `${ip}:${port}` };
}

export const dnsLookupAction = defineAction({
  id: ID,
  category: 'monitoring',
  name: 'DNS Lookup',
  description:
    'Looks up A, AAAA, CNAME, MX, TXT, NS or SRV records of a name, from the configured resolvers or a given DNS server. A name without such records gives found: false; a server that cannot be reached fails the step (retryable).',
  params: DnsLookupParams,
  output: DnsLookupOutput,
  async run(ctx) {
    const p = ctx.params;
    const type = p.type ?? 'A';
    const resolver = new Resolver({ timeout: (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000, tries: 2 });
    if (p.server !== undefined) {
      const { ip, server } = parseServer(p.server.trim());
      // A server chosen by the workflow is an outbound connection like any other.
      ctx.services.egress.check(ip, ip, 'dns');
      resolver.setServers([server]);
    }
    const onAbort = () => resolver.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      const records = await queryRecords(resolver, p.name, type);
      const latency = Math.round(performance.now() - started);
      ctx.log.log('info', `${type} ${p.name}: ${records.length} record(s)`, { latency_ms: latency });
      return { name: p.name, type, found: records.length > 0, records, latency_ms: latency };
    } catch (err) {
      const code = String((err as { code?: unknown }).code);
      if (NO_RECORDS.has(code)) {
        ctx.log.log('info', `${type} ${p.name}: no records (${code})`);
        return { name: p.name, type, found: false, records: [], latency_ms: Math.round(performance.now() - started) };
      }
      const where = p.server ?? 'the configured resolvers';
      if (code === 'ECANCELLED' && ctx.signal.aborted) throw new NonRetryableError('cancelled', 'DNS lookup cancelled');
      if (REFUSED.has(code)) throw new NonRetryableError('dns_refused', `${where} refused the ${type} query for ${p.name} (${code})`, { details: { code } });
      throw new RetryableError('dns_error', `${type} lookup of ${p.name} at ${where} failed: ${code}`, { details: { code } });
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
  plan(ctx) {
    const p = ctx.params;
    return `look up ${p.type ?? 'A'} records of ${p.name}${p.server ? ` at ${p.server}` : ''}`;
  },
});
