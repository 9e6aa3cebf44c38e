import { Type } from '@sinclair/typebox';
import { EscalationPolicyInput } from '../../incidents/escalation-policies.js';
import { policyNotFound } from '../../incidents/incident-errors.js';
import { presentPolicy } from '../present/incident.js';
import { IdParams, problems } from '../schemas/common.js';
import { EscalationPolicySchema } from '../schemas/incident.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['incidents'];

/** Who is paged, in which order and after how long: configuration, so editors change it. */
export function escalationPolicyRoutes(f: Api, deps: ApiDeps): void {
  const { policies } = deps.app.incidents;

  f.get('/automation/escalation-policies', {
    schema: { tags, summary: 'Escalation policies by name', response: { 200: Type.Object({ items: Type.Array(EscalationPolicySchema) }) } },
    config: { minRole: 'viewer' },
  }, async () => ({ items: (await policies.list()).map(presentPolicy) }));

  f.get('/automation/escalation-policies/:id', {
    schema: { tags, summary: 'An escalation policy', params: IdParams, response: { 200: EscalationPolicySchema, ...problems(404) } },
    config: { minRole: 'viewer' },
  }, async (req) => {
    const p = await policies.get(req.params.id);
    if (!p) throw policyNotFound(req.params.id);
    return presentPolicy(p);
  });

  f.post('/automation/escalation-policies', {
    schema: { tags, summary: 'Create an escalation policy (names are unique)', body: EscalationPolicyInput, response: { 201: EscalationPolicySchema, ...problems(400) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    const p = await policies.create(req.body);
    return reply.code(201).header('location', `/automation/escalation-policies/${p.id}`).send(presentPolicy(p));
  });

  f.put('/automation/escalation-policies/:id', {
    schema: { tags, summary: 'Replace an escalation policy (applies to escalations that fire after it)', params: IdParams, body: EscalationPolicyInput, response: { 200: EscalationPolicySchema, ...problems(400, 404) } },
    config: { minRole: 'editor' },
  }, async (req) => presentPolicy(await policies.replace(req.params.id, req.body)));

  f.delete('/automation/escalation-policies/:id', {
    schema: { tags, summary: 'Delete an escalation policy (incidents using it stop escalating)', params: IdParams, response: { 204: Type.Null(), ...problems(404) } },
    config: { minRole: 'editor' },
  }, async (req, reply) => {
    await policies.delete(req.params.id);
    return reply.code(204).send(null);
  });
}
