import { Type } from '@sinclair/typebox';
import { CREDENTIAL_TYPES } from '../../model/credential-types.js';
import { presentCredential, presentCredentialType } from '../present/credential.js';
import { IdParams, problems } from '../schemas/common.js';
import { CreateCredentialBody, CredentialSchema, CredentialTypeSchema, UpdateCredentialBody } from '../schemas/credential.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['credentials'];

/**
 * The vault through HTTP: write-only secrets. Viewers see which credentials exist (to pick one in a
 * node), editors create, change and delete them; no answer ever holds a secret value.
 */
export function credentialRoutes(f: Api, deps: ApiDeps): void {
  const { vault } = deps.app;

  f.get('/automation/credential-types', {
    schema: { tags, summary: 'Credential types: their fields as JSON Schema and which fields are secret', response: { 200: Type.Object({ items: Type.Array(CredentialTypeSchema) }) } },
    config: { minRole: 'viewer' },
  }, () => Promise.resolve({ items: CREDENTIAL_TYPES.map(presentCredentialType) }));

  f.get('/automation/credentials', {
    schema: { tags, summary: 'Credentials by name (public fields only)', response: { 200: Type.Object({ items: Type.Array(CredentialSchema) }) } },
    config: { minRole: 'viewer' },
  }, async () => ({ items: (await vault.list()).map(presentCredential) }));

  f.get('/automation/credentials/:id', {
    schema: { tags, summary: 'A credential by id or name (public fields only)', params: IdParams, response: { 200: CredentialSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => presentCredential(await vault.describe(req.params.id)));

  f.post('/automation/credentials', {
    schema: { tags, summary: 'Store a credential; secret fields are encrypted and never shown again', body: CreateCredentialBody, response: { 201: CredentialSchema, ...problems(400, 409) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const c = await vault.create(req.body);
    req.log.info({ credential_id: c.id, type: c.type }, 'credential created');
    return reply.code(201).header('location', `/automation/credentials/${c.id}`).send(presentCredential(c));
  });

  f.patch('/automation/credentials/:id', {
    schema: { tags, summary: 'Rename a credential or change some fields; fields not sent keep their values', params: IdParams, body: UpdateCredentialBody, response: { 200: CredentialSchema, ...problems(400, 404, 409) } },
    config: { minRole: 'editor' },
  }, async (req) => {
    const { name, data, allowed_hosts: hosts } = req.body;
    const c = await vault.update(req.params.id, { ...(name ? { name } : {}), ...(data ? { data } : {}), ...(hosts ? { allowed_hosts: hosts } : {}) });
    req.log.info({ credential_id: c.id }, 'credential updated');
    return presentCredential(c);
  });

  f.delete('/automation/credentials/:id', {
    schema: { tags, summary: 'Delete a credential by id or name (steps naming it fail from then on)', params: IdParams, response: { 204: Type.Null(), ...problems(404) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const { id } = await vault.describe(req.params.id);
    await vault.delete(id);
    req.log.info({ credential_id: id }, 'credential deleted');
    return reply.code(204).send(null);
  });
}
