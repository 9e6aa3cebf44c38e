import { Type } from '@sinclair/typebox';
import type { CredentialResolver } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import { bindingOf, checkCredentialHost } from '../http/credential-binding.js';
import type { EgressGuard } from '../http/egress-guard.js';
import type { StepSandbox } from '../process/sandbox-policy.js';
import { checkOutsideDataDir } from './data-dir-target.js';

export type DatabaseEngine = 'postgres' | 'mysql' | 'sqlite';

/** A parsed connection: never log `url` or `password`; `label` is the loggable form. */
export interface DatabaseTarget {
  readonly engine: DatabaseEngine;
  readonly url: string;
  readonly host: string;
  readonly port: number | undefined;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Query-string options (`sslmode`...). */
  readonly options: Readonly<Record<string, string>>;
  /** SQLite file. */
  readonly path: string;
  /** `db test@127.0.0.1` or `sqlite /data/app.db`. */
  readonly label: string;
  /** The address the egress policy checked: connect here (keeping `host` for TLS), not to a fresh lookup of `host`. */
  readonly address?: string;
}

/** What reaching a database needs from the app (ActionServices). */
export interface DatabaseServices {
  readonly egress: EgressGuard;
  readonly sandbox: StepSandbox;
}

const DEFAULT_PORTS: Readonly<Record<DatabaseEngine, number | undefined>> = { postgres: 5432, mysql: 3306, sqlite: undefined };

/**
 * Applies the egress policy (and the credential's host binding) to a network database before any
 * connection: the host is resolved once, every address checked, and the checked one returned for
 * the driver to dial. A `host`/`hostaddr` query option would make libpq/pg connect elsewhere than
 * the checked host, so it is refused while the guard is on. A SQLite file must be outside the
 * server's data dir.
 */
export async function guardDatabase(target: DatabaseTarget, services: DatabaseServices, credential?: Parameters<typeof checkCredentialHost>[0]): Promise<DatabaseTarget> {
  if (target.engine === 'sqlite') {
    checkOutsideDataDir(services.sandbox, target.path);
    return target;
  }
  if (credential) checkCredentialHost(credential, target.host, target.port ?? DEFAULT_PORTS[target.engine], target.engine, services.egress);
  if (services.egress.blockPrivate && (target.options['host'] !== undefined || target.options['hostaddr'] !== undefined)) {
    throw new NonRetryableError('egress_denied', `${target.label}: host/hostaddr URL options are not allowed while the egress guard is on; put the host in the URL`);
  }
  return { ...target, address: await services.egress.resolve(target.host, target.engine) };
}

/** Params naming a database: a `database` credential (preferred: the URL holds a password) or a URL. */
export const databaseParams = {
  credential_id: Type.Optional(Type.String({ minLength: 1, description: '`database` credential ({url})' })),
  database_url: Type.Optional(Type.String({ minLength: 1, description: 'postgres://, postgresql://, mysql://, mariadb:// or sqlite:/path' })),
};

function invalid(message: string): NonRetryableError {
  return new NonRetryableError('invalid_database_url', message);
}

function engineOf(scheme: string): DatabaseEngine {
  if (scheme === 'postgres:' || scheme === 'postgresql:') return 'postgres';
  if (scheme === 'mysql:' || scheme === 'mariadb:') return 'mysql';
  if (scheme === 'sqlite:') return 'sqlite';
  throw invalid(`unsupported database URL scheme ${scheme} (use postgres://, mysql://, mariadb:// or sqlite:)`);
}

/** Parses a database URL. Errors never repeat the URL: it may hold a password. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase() ?? '';
  const engine = engineOf(scheme);
  if (engine === 'sqlite') {
    const rest = url.slice(scheme.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw invalid('sqlite: URL has no file path');
    return { engine, url, host: '', port: undefined, user: '', password: '', database: path, options: {}, path, label: `sqlite ${path}` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`invalid ${engine} database URL`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  return {
    engine,
    url,
    host,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    options: Object.fromEntries(parsed.searchParams),
    path: '',
    label: `db ${database || '(default)'}@${host}`,
  };
}

export async function resolveDatabase(
  credentials: CredentialResolver,
  services: DatabaseServices,
  p: { credential_id?: string | undefined; database_url?: string | undefined },
): Promise<DatabaseTarget> {
  if (p.credential_id !== undefined) {
    const cred = await credentials.get(p.credential_id, ['database']);
    const url = cred.data['url'];
    if (!url) throw new NonRetryableError('invalid_credential', `database credential ${p.credential_id} has no url`);
    return guardDatabase(parseDatabaseUrl(url), services, bindingOf(cred));
  }
  if (p.database_url !== undefined) return guardDatabase(parseDatabaseUrl(p.database_url), services);
  throw new NonRetryableError('invalid_params', 'give credential_id (a database credential) or database_url');
}

/** Loggable description for plans: `db test@127.0.0.1`, or the credential id when that is all we know. */
export function describeDatabase(p: { credential_id?: string | undefined; database_url?: string | undefined }): string {
  if (p.database_url !== undefined) {
    try {
      return parseDatabaseUrl(p.database_url).label;
    } catch {
      return 'an invalid database URL';
    }
  }
  return `database of credential ${p.credential_id ?? '?'}`;
}
