import { Type } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { hostMatches } from '../../model/credential-hosts.js';
import { HostInput, MAX_IMPORT_HOSTS } from '../../model/hosts/host.js';
import { parseDefinitionText } from '../../model/parse-definition.js';
import { PROBLEM_CODES } from '../../model/problems.js';
import { valueProblems } from '../../model/validate/value-problems.js';
import type { CredentialVault } from '../../store/credentials/credential-vault.js';

/** The import/export document: `{hosts: [...]}`, JSON or YAML. */
export const HostDocument = Type.Object({ hosts: Type.Array(HostInput, { maxItems: MAX_IMPORT_HOSTS }) }, { additionalProperties: false });

interface Item { readonly in: 'body'; readonly path: string; readonly message: string }
const invalid = (message: string, errors: readonly Item[]) => new ItwError('validation', message, { details: { errors } });

/**
 * Reads an import body (a parsed JSON value, or YAML/JSON text) into hosts. Alias bombs and
 * over-deep documents are refused by the shared parser's limits; unknown fields, bad values and
 * duplicate names are 400s naming each failing path.
 */
export function readHostDocument(body: unknown): HostInput[] {
  let doc = body;
  if (typeof body === 'string') {
    const parsed = parseDefinitionText(body);
    if (!parsed.ok) {
      const limit = parsed.problems.some((p) => p.code === PROBLEM_CODES.limitExceeded);
      throw new ItwError(limit ? 'bad_request' : 'validation', parsed.problems.map((p) => p.message).join('; '), { details: { errors: parsed.problems.map((p) => ({ in: 'body', path: p.path, message: p.message })) } });
    }
    doc = parsed.value;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('the body must be a host document: {hosts: [...]}', [{ in: 'body', path: '', message: 'must be an object with `hosts`' }]);
  const hostsValue = (doc as { hosts?: unknown }).hosts;
  if (Array.isArray(hostsValue) && hostsValue.length > MAX_IMPORT_HOSTS) {
    throw invalid(`a host document holds at most ${MAX_IMPORT_HOSTS} hosts`, [{ in: 'body', path: '/hosts', message: `must have at most ${MAX_IMPORT_HOSTS} items` }]);
  }
  const problems = valueProblems(HostDocument, doc, { basePath: '', code: PROBLEM_CODES.invalidDocument });
  if (problems.length > 0) throw invalid(`the host document has ${problems.length} problem(s)`, problems.slice(0, 100).map((p) => ({ in: 'body', path: p.path, message: p.message })));
  const hosts = (doc as { hosts: HostInput[] }).hosts;
  const seen = new Map<string, number>();
  const dupes: Item[] = [];
  hosts.forEach((h, i) => {
    if (seen.has(h.name)) dupes.push({ in: 'body', path: `/hosts/${i}/name`, message: `duplicates /hosts/${seen.get(h.name)}/name (${h.name})` });
    seen.set(h.name, i);
  });
  if (dupes.length > 0) throw invalid('host names must be unique', dupes);
  return hosts;
}

/**
 * Every `ssh_credential_id` must name an existing `ssh_key` credential bound to the host's address
 * (its allowed_hosts): 400 naming each path that does not. Steps check the binding again at run time.
 */
export async function checkHostCredentials(vault: CredentialVault, hosts: readonly HostInput[], pathOf: (i: number) => string): Promise<void> {
  const errors: Item[] = [];
  const creds = new Map<string, { type: string; hosts: readonly string[] } | undefined>();
  for (const [i, h] of hosts.entries()) {
    if (!creds.has(h.ssh_credential_id)) {
      creds.set(h.ssh_credential_id, await vault.describe(h.ssh_credential_id).then((c) => ({ type: c.type, hosts: c.effective_allowed_hosts }), () => undefined));
    }
    const cred = creds.get(h.ssh_credential_id);
    if (cred === undefined) errors.push({ in: 'body', path: pathOf(i), message: `no credential ${h.ssh_credential_id}` });
    else if (cred.type !== 'ssh_key') errors.push({ in: 'body', path: pathOf(i), message: `credential ${h.ssh_credential_id} is of type ${cred.type}; a host needs an ssh_key credential` });
    else if (!cred.hosts.some((p) => hostMatches(p, h.address, h.port ?? 22))) {
      errors.push({ in: 'body', path: pathOf(i), message: `credential ${h.ssh_credential_id} may not be sent to ${h.address} (its allowed_hosts: ${cred.hosts.join(', ') || 'none'})` });
    }
  }
  if (errors.length > 0) throw invalid(errors.length === 1 ? errors[0]!.message : `${errors.length} hosts name an unusable credential`, errors.slice(0, 100));
}
