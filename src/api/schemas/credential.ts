import { Type } from '@sinclair/typebox';
import { IsoTime } from './common.js';

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'unique; steps may name a credential by it instead of its id' });
const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'the fields of the credential type (GET /automation/credential-types)' });

const AllowedHosts = Type.Array(Type.String({ minLength: 1, maxLength: 260 }), {
  maxItems: 100,
  description: 'hosts the secret may be sent to: exact host or IP, `*.example.com` (subdomains), optional `:port`. '
    + 'Required (non-empty) for http_bearer, http_basic and http_header; other types default to their vendor API host, '
    + 'their base URL host, or the host they connect to (smtp, ssh_key, database). A request to any other host, '
    + 'redirects included, fails with credential_host_denied before anything is sent.',
});

export const CreateCredentialBody = Type.Object({ name: Name, type: Type.String({ minLength: 1 }), data: Data, allowed_hosts: Type.Optional(AllowedHosts) }, { additionalProperties: false });

export const UpdateCredentialBody = Type.Object(
  { name: Type.Optional(Name), allowed_hosts: Type.Optional(AllowedHosts), data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'fields to change; fields left out (secrets too) keep their values' })) },
  { additionalProperties: false },
);

/** A credential as the API shows it: public fields, and only the names of the secret ones that are set. */
export const CredentialSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  fields: Type.Record(Type.String(), Type.String(), { description: 'the non-secret fields' }),
  secret_fields_set: Type.Array(Type.String(), { description: 'secret fields that hold a value (never the value)' }),
  allowed_hosts: Type.Array(Type.String(), { description: 'hosts it names (empty: its type\'s defaults)' }),
  effective_allowed_hosts: Type.Array(Type.String(), { description: 'where it may be sent: allowed_hosts, else the type\'s defaults; empty means nowhere' }),
  created_at: IsoTime,
  updated_at: IsoTime,
});

export const CredentialTypeSchema = Type.Object({
  type: Type.String(),
  label: Type.String(),
  schema: Type.Unknown({ description: 'JSON Schema of `data`' }),
  secret_fields: Type.Array(Type.String(), { description: 'encrypted at rest, write-only, redacted from executions' }),
});
