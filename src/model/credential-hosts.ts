import { kubeconfigServerHost } from './kubeconfig.js';

/**
 * Which hosts a credential may be sent to. A pattern is an exact host (`api.example.com`,
 * `10.0.0.5`, `[2001:db8::1]`), a wildcard for subdomains (`*.example.com`: one or more labels,
 * not `example.com` itself), either optionally with `:port` (without it any port matches).
 * Pure: no I/O.
 */

const LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

function splitPort(pattern: string): { host: string; port: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] };
  const colons = pattern.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = pattern.split(':') as [string, string];
    return { host, port };
  }
  return { host: pattern, port: undefined };
}

/** Lower-cased, trailing dot and IPv6 brackets removed. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** A problem with one pattern, or undefined when it is valid. */
export function hostPatternProblem(pattern: string): string | undefined {
  const { host, port } = splitPort(pattern.trim().toLowerCase());
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) > 0 && Number(port) < 65536)) return 'has an invalid port';
  if (host.includes(':')) return /^[0-9a-f:.]+$/.test(host) ? undefined : 'is not a valid IPv6 address';
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  if (host === '' || labels.some((l) => !LABEL.test(l))) return 'must be a host name, *.domain, or an IP address, optionally with :port';
  return undefined;
}

/** True when `host` (and `port`, if the pattern names one) is covered by `pattern`. */
export function hostMatches(pattern: string, host: string, port?: string | number): boolean {
  const p = splitPort(pattern.trim().toLowerCase());
  if (p.port !== undefined && (port === undefined || String(port) !== p.port)) return false;
  const h = normalizeHost(host);
  const want = normalizeHost(p.host);
  if (want.startsWith('*.')) return h.endsWith(want.slice(1)) && h.length > want.length - 1;
  return h === want;
}

/** The host of a URL, or undefined when it does not parse. */
function urlHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return normalizeHost(new URL(url).hostname) || undefined;
  } catch {
    return undefined;
  }
}

/** Vendor API hosts: where a credential of that type goes when it names no base URL. */
const VENDOR_HOSTS: Readonly<Record<string, readonly string[]>> = {
  slack: ['slack.com', 'hooks.slack.com'],
  twilio: ['api.twilio.com'],
  github: ['api.github.com'],
  pagerduty: ['events.pagerduty.com', 'api.pagerduty.com'],
  opsgenie: ['api.opsgenie.com', 'api.eu.opsgenie.com'],
  // paging, chat and ticket actions (issue 16B); webhook types add their webhook_url's host below
  statuspage: ['api.statuspage.io'],
  discord: ['discord.com', 'discordapp.com'],
  telegram: ['api.telegram.org'],
  google_chat: ['chat.googleapis.com'],
  gitlab: ['gitlab.com'],
};

/** Types whose default host is the host of their `url` field (brokers, directories). */
const URL_HOST_TYPES: readonly string[] = [
  // 16D messaging, LDAP
  'mqtt', 'nats', 'amqp', 'redis', 'ldap',
];

/** Types whose hosts come from the workflow: they must name their hosts (`allowed_hosts`). */
export const GENERIC_CREDENTIAL_TYPES: readonly string[] = ['http_bearer', 'http_basic', 'http_header'];

/**
 * The hosts a credential is bound to when it names none: its vendor's API hosts, the host of its
 * configured base URL / webhook URL, or the host it connects to (smtp, ssh_key, database).
 * Generic HTTP credentials have none: they are refused until they name their hosts.
 */
export function defaultAllowedHosts(type: string, data: Readonly<Record<string, string>>): string[] {
  const hosts = new Set<string>(VENDOR_HOSTS[type] ?? []);
  for (const field of ['base_url', 'webhook_url']) {
    const h = urlHost(data[field]);
    if (h) hosts.add(h);
  }
  if ((type === 'smtp' || type === 'ssh_key') && data['host']) hosts.add(normalizeHost(data['host']));
  // kubernetes, docker, vault (issue 16c): the API server of the kubeconfig, the daemon, the Vault address.
  const own = type === 'kubernetes' ? kubeconfigServerHost(data['kubeconfig'], data['context'])
    : type === 'docker' || type === 'vault' ? urlHost(data[type === 'docker' ? 'host' : 'address']) : undefined;
  if (own) hosts.add(own);
  if (type === 'database') {
    const h = urlHost(data['url']);
    if (h) hosts.add(h);
    else if (data['url'] && /^(postgres|postgresql|mysql|mariadb):/i.test(data['url'])) hosts.add('localhost');
  }
  // 16D messaging, LDAP: a broker or directory credential goes to the host of its own url.
  if (URL_HOST_TYPES.includes(type)) {
    const h = urlHost(data['url']);
    if (h) hosts.add(h);
  }
  return [...hosts];
}

/** What a credential may be sent to: the hosts it names, else its type's defaults. */
export function effectiveAllowedHosts(type: string, data: Readonly<Record<string, string>>, named: readonly string[]): readonly string[] {
  return named.length > 0 ? named : defaultAllowedHosts(type, data);
}
