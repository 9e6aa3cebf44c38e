import { parse } from 'yaml';

/**
 * What a step needs from a kubeconfig to call the API server: the current (or named) context's
 * cluster and user. Only embedded material is used (`*-data` fields, `token`): paths to files on
 * the server's disk and exec/auth-provider plugins are refused, so a credential cannot make the
 * server read its own files or run a program. Pure: no I/O.
 */
export interface KubeTarget {
  readonly server: string;
  readonly namespace: string | undefined;
  /** PEM of the cluster's CA, when the kubeconfig embeds one (else the system's CAs). */
  readonly ca: string | undefined;
  readonly token: string | undefined;
  readonly clientCert: string | undefined;
  readonly clientKey: string | undefined;
}

export class KubeconfigError extends Error {}

type Rec = Record<string, unknown>;

function rec(value: unknown): Rec | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}

function str(o: Rec | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function named(list: unknown, name: string, what: string): Rec {
  const found = (Array.isArray(list) ? list : []).map(rec).find((e) => e?.['name'] === name);
  const inner = rec(found?.[what]);
  if (inner === undefined) throw new KubeconfigError(`kubeconfig has no ${what} named "${name}"`);
  return inner;
}

function pem(o: Rec, key: string): string | undefined {
  const data = str(o, key);
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

/** Parses `kubeconfig` (YAML or JSON) for `context` (default: its current-context). */
export function kubeTarget(kubeconfig: string, context?: string): KubeTarget {
  let doc: Rec | undefined;
  try {
    doc = rec(parse(kubeconfig, { maxAliasCount: 10 }));
  } catch {
    throw new KubeconfigError('kubeconfig is not valid YAML');
  }
  if (doc === undefined) throw new KubeconfigError('kubeconfig is not a YAML mapping');
  const contextName = context ?? str(doc, 'current-context');
  if (contextName === undefined) throw new KubeconfigError('kubeconfig has no current-context (set context on the credential)');
  const ctx = named(doc['contexts'], contextName, 'context');
  const cluster = named(doc['clusters'], str(ctx, 'cluster') ?? '', 'cluster');
  const user = named(doc['users'], str(ctx, 'user') ?? '', 'user');
  const server = str(cluster, 'server');
  if (server === undefined || !/^https?:\/\//i.test(server)) throw new KubeconfigError(`cluster of context "${contextName}" has no http(s) server URL`);
  const unsupported = [
    ...['certificate-authority', 'insecure-skip-tls-verify', 'proxy-url'].filter((k) => k in cluster),
    ...['client-certificate', 'client-key', 'tokenFile', 'exec', 'auth-provider'].filter((k) => k in user),
  ];
  if (unsupported.length > 0) {
    throw new KubeconfigError(`kubeconfig field ${unsupported.join(', ')} is not supported: embed the material (certificate-authority-data, token or client-certificate-data/client-key-data) instead of files, plugins, proxies or skipping verification`);
  }
  return {
    server: server.replace(/\/+$/, ''),
    namespace: str(ctx, 'namespace'),
    ca: pem(cluster, 'certificate-authority-data'),
    token: str(user, 'token'),
    clientCert: pem(user, 'client-certificate-data'),
    clientKey: pem(user, 'client-key-data'),
  };
}

/** The API server's host of a kubeconfig, for credential host binding; undefined when it does not parse. */
export function kubeconfigServerHost(kubeconfig: string | undefined, context: string | undefined): string | undefined {
  if (kubeconfig === undefined) return undefined;
  try {
    return new URL(kubeTarget(kubeconfig, context).server).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}
