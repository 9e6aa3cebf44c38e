import type { CredentialType } from '../../model/credential-types.js';
import type { CredentialSummary } from '../../store/credentials/credential-vault.js';
import { iso } from '../schemas/common.js';

export function presentCredential(c: CredentialSummary) {
  return {
    id: c.id, name: c.name, type: c.type, fields: { ...c.fields }, secret_fields_set: [...c.secret_fields_set],
    allowed_hosts: [...c.allowed_hosts], effective_allowed_hosts: [...c.effective_allowed_hosts],
    created_at: iso(c.created_at)!, updated_at: iso(c.updated_at)!,
  };
}

/** TypeBox keeps symbol-keyed metadata on schemas; a JSON round trip leaves the plain JSON Schema. */
export function presentCredentialType(t: CredentialType) {
  return { type: t.type, label: t.label, schema: JSON.parse(JSON.stringify(t.schema)) as unknown, secret_fields: [...t.secret] };
}
