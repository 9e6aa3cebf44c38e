import { Type, type Static } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { invalidParam } from '../communication/invalid-param.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import type { KubeObject } from './k8s-client.js';
import { withKube } from './k8s-client.js';
import { CREDENTIAL, kindSchema, KUBE_KINDS, kubePath, type KubeKind, NAMESPACE } from './k8s-resources.js';
import { StatusSummary, summarise } from './k8s-status.js';

const ID = 'k8s_get';
const KINDS = Object.keys(KUBE_KINDS) as KubeKind[];
/** Objects asked for per list request; the API server pages with `continue` tokens. */
const PAGE_SIZE = 100;

const Params = Type.Object(
  {
    credential_id: CREDENTIAL,
    kind: kindSchema(KINDS, 'Kind of object'),
    name: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253, description: 'Get this one object; leave out to list' })),
    namespace: NAMESPACE,
    all_namespaces: Type.Optional(Type.Boolean({ description: 'List across every namespace (not with name)' })),
    label_selector: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'List only objects with these labels, e.g. app=web,tier!=cache' })),
    field_selector: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'List only objects with these fields, e.g. status.phase=Running' })),
    max_items: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: 'Stop listing after this many objects (truncated is then true)' })),
  },
  { additionalProperties: false },
);

const Item = Type.Object({
  name: Type.String(),
  namespace: Type.Optional(Type.String()),
  kind: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  created_at: Type.Optional(Type.String()),
  status: StatusSummary,
});
type Item = Static<typeof Item>;

const Output = Type.Object({
  items: Type.Array(Item),
  count: Type.Integer(),
  truncated: Type.Boolean({ description: 'More objects matched than max_items' }),
});

function item(kind: string, obj: KubeObject): Item {
  const meta = (obj['metadata'] ?? {}) as Record<string, unknown>;
  const labels = typeof meta['labels'] === 'object' && meta['labels'] !== null ? (meta['labels'] as Record<string, string>) : {};
  const out: Item = { name: typeof meta['name'] === 'string' ? meta['name'] : '', kind, labels, status: summarise(kind, obj) };
  if (typeof meta['namespace'] === 'string') out.namespace = meta['namespace'];
  if (typeof meta['creationTimestamp'] === 'string') out.created_at = meta['creationTimestamp'];
  return out;
}

export const k8sGetAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'kubernetes',
  name: 'Kubernetes Get',
  description:
    'Gets one Kubernetes object by name, or lists them by label and field selector (following the API server\'s pages), ' +
    'with what `kubectl get` shows: ready and available replicas, pod phase, restarts, conditions.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    if (p.name !== undefined && (p.label_selector !== undefined || p.field_selector !== undefined || p.all_namespaces === true)) {
      throw invalidParam(ID, '/name', 'give a name to get one object, or selectors / all_namespaces to list, not both');
    }
    const meta = KUBE_KINDS[p.kind];
    const cred = await ctx.credentials.get(p.credential_id, ['kubernetes']);
    return withKube(cred, outbound(ctx), async (kube) => {
      const namespace = kube.namespace(p.namespace);
      if (p.name !== undefined) {
        const obj = await kube.object({ method: 'GET', path: kubePath(p.kind, namespace, p.name) });
        return { items: [item(meta.kind, obj)], count: 1, truncated: false };
      }
      const path = p.all_namespaces === true && meta.namespaced ? `${meta.api}/${meta.plural}` : kubePath(p.kind, namespace);
      const max = p.max_items ?? 500;
      const items: Item[] = [];
      let next: string | undefined;
      do {
        const query: Record<string, string | number> = { limit: Math.min(PAGE_SIZE, max - items.length) };
        if (p.label_selector !== undefined) query['labelSelector'] = p.label_selector;
        if (p.field_selector !== undefined) query['fieldSelector'] = p.field_selector;
        if (next !== undefined) query['continue'] = next;
        const page = await kube.object({ method: 'GET', path, query });
        for (const obj of Array.isArray(page['items']) ? (page['items'] as KubeObject[]) : []) items.push(item(meta.kind, obj));
        const cont = (page['metadata'] as Record<string, unknown> | undefined)?.['continue'];
        next = typeof cont === 'string' && cont !== '' ? cont : undefined;
      } while (next !== undefined && items.length < max);
      ctx.log.log('info', `listed ${items.length} ${meta.plural}${next !== undefined ? ' (more matched: max_items reached)' : ''}`);
      return { items: items.slice(0, max), count: Math.min(items.length, max), truncated: next !== undefined };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const where = p.all_namespaces ? 'all namespaces' : (p.namespace ?? '(default namespace)');
    if (p.name !== undefined) return `get ${p.kind} ${where}/${p.name}`;
    return `list ${KUBE_KINDS[p.kind].plural} in ${where}${p.label_selector ? ` with labels ${p.label_selector}` : ''}${p.field_selector ? ` with fields ${p.field_selector}` : ''}`;
  },
});
