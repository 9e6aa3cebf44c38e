// A small authoritative DNS server on loopback UDP for the dns_lookup tests: it parses each query
// as RFC 1035 §4.1 lays it out (header, one question), records it, and answers from a fixed zone.
import { createSocket, type RemoteInfo } from 'node:dgram';

export const QTYPE = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28, SRV: 33 } as const;
type TypeName = keyof typeof QTYPE;

export type ZoneRecord =
  | { type: 'A' | 'AAAA' | 'CNAME' | 'NS'; value: string; ttl?: number }
  | { type: 'MX'; exchange: string; priority: number }
  | { type: 'TXT'; chunks: string[] }
  | { type: 'SRV'; target: string; priority: number; weight: number; port: number };

export interface DnsQuery {
  readonly id: number;
  readonly recursionDesired: boolean;
  readonly opcode: number;
  readonly name: string;
  readonly qtype: number;
  readonly qclass: number;
}

const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, REFUSED: 5 } as const;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  for (;;) {
    const len = msg[i];
    if (len === undefined) throw new Error('truncated name');
    if (len === 0) return { name: labels.join('.'), end: i + 1 };
    if ((len & 0xc0) !== 0) throw new Error('compression pointer in a question');
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function rdata(r: ZoneRecord): Buffer {
  switch (r.type) {
    case 'A':
      return Buffer.from(r.value.split('.').map(Number));
    case 'AAAA': {
      const [head = '', tail = ''] = r.value.split('::');
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const words = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
      return Buffer.concat(words.map((w) => u16(parseInt(w, 16))));
    }
    case 'CNAME':
    case 'NS':
      return encodeName(r.value);
    case 'MX':
      return Buffer.concat([u16(r.priority), encodeName(r.exchange)]);
    case 'TXT':
      return Buffer.concat(r.chunks.map((c) => Buffer.concat([Buffer.from([Buffer.byteLength(c)]), Buffer.from(c)])));
    case 'SRV':
      return Buffer.concat([u16(r.priority), u16(r.weight), u16(r.port), encodeName(r.target)]);
  }
}

function answer(r: ZoneRecord): Buffer {
  const data = rdata(r);
  const ttl = Buffer.alloc(4);
  ttl.writeUInt32BE('ttl' in r && r.ttl !== undefined ? r.ttl : 300);
  // Name: a pointer to the question's name at offset 12.
  return Buffer.concat([u16(0xc00c), u16(QTYPE[r.type]), u16(1), ttl, u16(data.length), data]);
}

export interface DnsFixture {
  /** `127.0.0.1:port`, as dns_lookup's `server` param takes it. */
  readonly server: string;
  readonly queries: DnsQuery[];
  close(): Promise<void>;
}

/** Serves `zone` (lower-case name → records); names in `refuse` get REFUSED, unknown names NXDOMAIN. */
export async function dnsFixture(zone: Readonly<Record<string, readonly ZoneRecord[]>>, refuse: readonly string[] = []): Promise<DnsFixture> {
  const socket = createSocket('udp4');
  const queries: DnsQuery[] = [];
  socket.on('message', (msg: Buffer, peer: RemoteInfo) => {
    const reply = (flags: number, question: Buffer, answers: Buffer[]) => {
      const header = Buffer.concat([msg.subarray(0, 2), u16(flags), u16(question.length ? 1 : 0), u16(answers.length), u16(0), u16(0)]);
      socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
    };
    const flagsIn = msg.readUInt16BE(2);
    const rd = (flagsIn & 0x0100) !== 0;
    const base = 0x8000 | 0x0400 | (rd ? 0x0100 : 0) | 0x0080; // QR, AA, RD echoed, RA
    let q: { name: string; end: number };
    try {
      if (msg.readUInt16BE(4) !== 1) throw new Error('one question expected');
      q = readName(msg, 12);
    } catch {
      return reply(base | RCODE.FORMERR, Buffer.alloc(0), []);
    }
    const qtype = msg.readUInt16BE(q.end);
    const qclass = msg.readUInt16BE(q.end + 2);
    const name = q.name.toLowerCase();
    queries.push({ id: msg.readUInt16BE(0), recursionDesired: rd, opcode: (flagsIn >> 11) & 0xf, name, qtype, qclass });
    const question = msg.subarray(12, q.end + 4);
    if (refuse.includes(name)) return reply(base | RCODE.REFUSED, question, []);
    const records = zone[name];
    if (records === undefined) return reply(base | RCODE.NXDOMAIN, question, []);
    const typeName = (Object.keys(QTYPE) as TypeName[]).find((t) => QTYPE[t] === qtype);
    reply(base | RCODE.NOERROR, question, records.filter((r) => r.type === typeName).map(answer));
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

