import { ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { Redactor } from '../../engine/redactor.js';
import { effectiveAllowedHosts, GENERIC_CREDENTIAL_TYPES, hostPatternProblem } from '../../model/credential-hosts.js';
import { CREDENTIAL_TYPE_MAP, type CredentialType } from '../../model/credential-types.js';
import type { CredentialResolver, ResolvedCredential } from '../../model/credentials.js';
import { ConflictError, ItwError, NotFoundError } from '../../model/errors.js';
import { newId } from '../../model/ids.js';
import { didYouMean } from '../../model/nearest-name.js';
import type { CredentialsTable, Database } from '../schema.js';
import { isUniqueViolation } from '../unique-violation.js';
import { keyId, open, seal } from './secret-box.js';

/** What the API shows of a credential: never a secret field, only which ones are set. */
export interface CredentialSummary {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly secret_fields_set: readonly string[];
  /** Hosts it names; empty: its type's defaults. */
  readonly allowed_hosts: readonly string[];
  /** Where it may actually be sent: `allowed_hosts`, else the type's defaults. */
  readonly effective_allowed_hosts: readonly string[];
  readonly created_at: number;
  readonly updated_at: number;
}

function invalid(message: string, errors: Array<{ path: string; message: string }>): ItwError {
  return new ItwError('validation', message, { details: { errors } });
}

function typeOf(type: string): CredentialType {
  const t = CREDENTIAL_TYPE_MAP.get(type);
  if (!t) throw invalid(`unknown credential type "${type}"`, [{ path: '/type', message: `must be one of ${[...CREDENTIAL_TYPE_MAP.keys()].join(', ')}` }]);
  return t;
}

function checkData(t: CredentialType, data: Record<string, unknown>): Record<string, string> {
  const errors: Array<{ path: string; message: string }> = [];
  const fields = Object.keys(t.schema.properties);
  for (const e of Value.Errors(t.schema, data)) {
    const path = `/data${e.path}`;
    if (errors.some((x) => x.path === path)) continue;
    const key = e.path.slice(1);
    const message = e.message === 'Expected required property'
      ? 'is required'
      : e.type === ValueErrorType.ObjectAdditionalProperties
        ? `is not a field of a ${t.type} credential${didYouMean(key, fields)}`
        : e.message;
    errors.push({ path, message });
  }
  if (errors.length > 0) throw invalid(`credential data does not match type "${t.type}": its fields are ${describeFields(t)}`, errors);
  return data as Record<string, string>;
}

/** `token (required, secret), base_url`: what a credential of the type holds. */
function describeFields(t: CredentialType): string {
  const required = new Set(t.schema.required ?? []);
  return Object.keys(t.schema.properties).map((f) => {
    const notes = [...(required.has(f) ? ['required'] : []), ...(t.secret.includes(f) ? ['secret'] : [])];
    return notes.length > 0 ? `${f} (${notes.join(', ')})` : f;
  }).join(', ');
}

/** Validated, lower-cased host patterns; a generic HTTP credential must name at least one. */
function checkHosts(t: CredentialType, hosts: readonly string[] | undefined): string[] {
  const list = [...new Set((hosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean))];
  const errors = list.flatMap((h, i) => {
    const problem = hostPatternProblem(h);
    return problem ? [{ path: `/allowed_hosts/${i}`, message: `"${h}" ${problem}` }] : [];
  });
  if (list.length === 0 && GENERIC_CREDENTIAL_TYPES.includes(t.type)) {
    errors.push({ path: '/allowed_hosts', message: `is required for ${t.type} credentials: the hosts the secret may be sent to` });
  }
  if (errors.length > 0) throw invalid('invalid allowed_hosts', errors);
  return list;
}

function hostsOf(row: CredentialsTable): string[] {
  return JSON.parse(row.allowed_hosts || '[]') as string[];
}

/**
 * The credentials vault: typed credentials sealed with AES-256-GCM under a key kept outside the
 * database, write-only through the API, decrypted only when a step asks (get), and every secret it
 * hands out registered with the redactor so executions never store it.
 */
export class CredentialVault implements CredentialResolver {
  private readonly keyId: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: Buffer,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {
    this.keyId = keyId(key);
  }

  async create(input: { name: string; type: string; data: Record<string, unknown>; allowed_hosts?: readonly string[] | undefined }): Promise<CredentialSummary> {
    const t = typeOf(input.type);
    const data = checkData(t, input.data);
    const hosts = checkHosts(t, input.allowed_hosts);
    const id = newId('cred');
    const now = this.now();
    const row: CredentialsTable = { id, name: input.name, type: t.type, ...this.split(t, id, data), key_id: this.keyId, allowed_hosts: JSON.stringify(hosts), created_at: now, updated_at: now };
    try {
      await this.db.insertInto('credentials').values(row).execute();
    } catch (err) {
      if (await this.db.selectFrom('credentials').select('id').where('name', '=', input.name).executeTakeFirst()) {
        throw new ConflictError(`a credential named "${input.name}" already exists`);
      }
      throw err;
    }
    return this.summary(row);
  }

  /** Fields left out of `data` keep their values, so secrets need not be re-entered to rename or change a host. */
  async update(id: string, input: { name?: string; data?: Record<string, unknown>; allowed_hosts?: readonly string[] }): Promise<CredentialSummary> {
    const row = await this.row(id);
    const t = typeOf(row.type);
    const merged = checkData(t, { ...this.decrypt(row), ...(input.data ?? {}) });
    const hosts = input.allowed_hosts === undefined ? hostsOf(row) : checkHosts(t, input.allowed_hosts);
    const next: CredentialsTable = { ...row, ...(input.name ? { name: input.name } : {}), ...this.split(t, row.id, merged), key_id: this.keyId, allowed_hosts: JSON.stringify(hosts), updated_at: this.now() };
    try {
      await this.db.updateTable('credentials').set(next).where('id', '=', row.id).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`a credential named "${next.name}" already exists`);
      throw err;
    }
    return this.summary(next);
  }

  async delete(id: string): Promise<void> {
    const r = await this.db.deleteFrom('credentials').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError('credential', id);
  }

  async list(): Promise<CredentialSummary[]> {
    const rows = await this.db.selectFrom('credentials').selectAll().orderBy('name').execute();
    return rows.map((r) => this.summary(r));
  }

  async describe(id: string): Promise<CredentialSummary> {
    return this.summary(await this.row(id));
  }

  async get(id: string, allowedTypes?: readonly string[]): Promise<ResolvedCredential> {
    const row = await this.row(id);
    if (allowedTypes && allowedTypes.length > 0 && !allowedTypes.includes(row.type)) {
      throw new ItwError('credential_type', `credential "${row.name}" is of type ${row.type}; this step needs ${allowedTypes.join(' or ')}`);
    }
    const data = this.decrypt(row);
    for (const f of typeOf(row.type).secret) {
      const v = data[f];
      if (!v) continue;
      this.redactor.add(v);
      // `user:secret` is how HTTP Basic (and Twilio, Jira...) sends it: its base64 is the secret too.
      for (const [k, other] of Object.entries(data)) if (k !== f && other) this.redactor.addPair(other, v);
    }
    return { id: row.id, type: row.type, data, allowed_hosts: effectiveAllowedHosts(row.type, data, hostsOf(row)) };
  }

  private async row(id: string): Promise<CredentialsTable> {
    const row = await this.db.selectFrom('credentials').selectAll().where((eb) => eb.or([eb('id', '=', id), eb('name', '=', id)])).executeTakeFirst();
    if (!row) throw new NotFoundError('credential', id);
    return row;
  }

  private split(t: CredentialType, id: string, data: Record<string, string>): Pick<CredentialsTable, 'public_data' | 'secret_data'> {
    const pub: Record<string, string> = {};
    const sec: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) (t.secret.includes(k) ? sec : pub)[k] = v;
    return { public_data: JSON.stringify(pub), secret_data: seal(this.key, JSON.stringify(sec), id) };
  }

  private decrypt(row: CredentialsTable): Record<string, string> {
    const pub = parse(row.public_data);
    return { ...pub, ...(JSON.parse(open(this.key, row.secret_data, row.id)) as Record<string, string>) };
  }

  private summary(row: CredentialsTable): CredentialSummary {
    const secrets = JSON.parse(open(this.key, row.secret_data, row.id)) as Record<string, string>;
    const fields = parse(row.public_data);
    const hosts = hostsOf(row);
    return {
      id: row.id, name: row.name, type: row.type, fields, secret_fields_set: Object.keys(secrets).sort(),
      allowed_hosts: hosts, effective_allowed_hosts: effectiveAllowedHosts(row.type, { ...fields, ...secrets }, hosts),
      created_at: row.created_at, updated_at: row.updated_at,
    };
  }
}

function parse(json: unknown): Record<string, string> {
  // PostgreSQL's jsonb comes back as text through our pool's parser (store/connect.ts), SQLite's as text.
  return (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, string>;
}
