import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

const DAY_MS = 86_400_000;

export interface CertificateFacts {
  readonly days_left: number;
  readonly valid_to: string;
  readonly issuer: string;
  readonly subject: string;
  readonly san: string[];
  readonly chain_length: number;
  readonly hostname_ok: boolean;
}

/** `CN=x, O=y` from Node's parsed name (values may be arrays when a field repeats). */
function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (name === undefined) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

/** `DNS:a, IP Address:1.2.3.4` → `['a', '1.2.3.4']`. */
function subjectAltNames(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(/,\s*/).map((entry) => entry.replace(/^[^:]+:/, '')).filter(Boolean);
}

/** Certificates the server sent, leaf first; a self-signed root points at itself and ends the walk. */
function chainLength(cert: DetailedPeerCertificate): number {
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = cert;
  while (current !== undefined && current.fingerprint256 !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    current = current.issuerCertificate;
  }
  return seen.size;
}

/** What a certificate check reports, judged against `name` at `nowMs`. */
export function certificateFacts(cert: DetailedPeerCertificate, name: string, nowMs: number): CertificateFacts {
  const validTo = new Date(cert.valid_to);
  return {
    days_left: Math.floor((validTo.getTime() - nowMs) / DAY_MS),
    valid_to: validTo.toISOString(),
    issuer: distinguishedName(cert.issuer),
    subject: distinguishedName(cert.subject),
    san: subjectAltNames(cert.subjectaltname),
    chain_length: chainLength(cert),
    hostname_ok: checkServerIdentity(name, cert) === undefined,
  };
}
