import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { exportedHost, presentHost } from '../present/host.js';
import { IdParams, problems } from '../schemas/common.js';
import { HostBody, HostExportQuery, HostImportQuery, HostImportResult, HostListQuery, HostSchema } from '../schemas/host.js';
import { checkHostCredentials, readHostDocument } from '../services/host-documents.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['hosts'];

/**
 * The host inventory fleet steps run on (`targets`). Viewers read it; operators and above change
 * it. A host names an `ssh_key` credential, checked on every write; its secrets never show here.
 */
export function hostRoutes(f: Api, deps: ApiDeps): void {
  const { vault } = deps.app;
  const hosts = deps.app.repos.hosts;

  f.get('/automation/hosts', {
    schema: { tags, summary: 'Hosts by name, optionally only those carrying every tag given', querystring: HostListQuery, response: { 200: Type.Object({ items: Type.Array(HostSchema) }), ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req) => ({ items: (await hosts.list({ tags: req.query.tag ?? [] })).map(presentHost) }));

  f.get('/automation/hosts/export', {
    schema: { tags, summary: 'The inventory as a host document ({hosts: [...]}), YAML or JSON, ready for import', querystring: HostExportQuery, response: { 200: Type.Unknown({ description: 'a host document' }), ...problems(400) } },
    config: { minRole: 'viewer' },
  }, async (req, reply) => {
    const doc = { hosts: (await hosts.list()).map(exportedHost) };
    if ((req.query.format ?? 'yaml') === 'yaml') {
      return reply.type('application/yaml').header('content-disposition', 'attachment; filename="hosts.yaml"').serializer((p) => p as string).send(stringify(doc));
    }
    return reply.type('application/json').header('content-disposition', 'attachment; filename="hosts.json"').serializer((p) => JSON.stringify(p, null, 2)).send(doc);
  });

  f.post('/automation/hosts/import', {
    schema: {
      tags, summary: 'Create or replace hosts by name from a host document (JSON, or YAML with a YAML content type); all or nothing',
      querystring: HostImportQuery, body: Type.Unknown({ description: 'a host document: {hosts: [...]}' }), response: { 200: HostImportResult, ...problems(400, 413, 415) },
    },
    config: { minRole: 'operator' },
  }, async (req) => {
    const inputs = readHostDocument(req.body);
    await checkHostCredentials(vault, inputs, (i) => `/hosts/${i}/ssh_credential_id`);
    const result = await hosts.importHosts(inputs, { replace: req.query.mode === 'replace' });
    req.log.info({ ...result, mode: req.query.mode ?? 'merge' }, 'hosts imported');
    return result;
  });

  f.get('/automation/hosts/:id', {
    schema: { tags, summary: 'A host by id or name', params: IdParams, response: { 200: HostSchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => presentHost(await hosts.get(req.params.id)));

  f.post('/automation/hosts', {
    schema: { tags, summary: 'Add a host to the inventory', body: HostBody, response: { 201: HostSchema, ...problems(400, 409) } },
    config: { minRole: 'operator' },
  }, async (req, reply) => {
    await checkHostCredentials(vault, [req.body], () => '/ssh_credential_id');
    const h = await hosts.create(req.body);
    req.log.info({ host_id: h.id }, 'host created');
    return reply.code(201).header('location', `/automation/hosts/${h.id}`).send(presentHost(h));
  });

  f.put('/automation/hosts/:id', {
    schema: { tags, summary: 'Replace a host (by id or name); fields not sent get their defaults', params: IdParams, body: HostBody, response: { 200: HostSchema, ...problems(400, 404, 409) } },
    config: { minRole: 'operator' },
  }, async (req) => {
    await checkHostCredentials(vault, [req.body], () => '/ssh_credential_id');
    const h = await hosts.update(req.params.id, req.body);
    req.log.info({ host_id: h.id }, 'host updated');
    return presentHost(h);
  });

  f.delete('/automation/hosts/:id', {
    schema: { tags, summary: 'Remove a host (by id or name); fleet steps naming it fail from then on', params: IdParams, response: { 204: Type.Null(), ...problems(404) } },
    config: { minRole: 'operator' },
  }, async (req, reply) => {
    const { id } = await hosts.get(req.params.id);
    await hosts.delete(id);
    req.log.info({ host_id: id }, 'host deleted');
    return reply.code(204).send(null);
  });
}
