import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { withKube, type KubeObject } from './k8s-client.js';
import { CREDENTIAL, kindSchema, KUBE_KINDS, kubePath, NAME, NAMESPACE } from './k8s-resources.js';

const ID = 'k8s_scale';

const Params = Type.Object(
  {
    credential_id: CREDENTIAL,
    kind: Type.Optional(kindSchema(['deployment', 'statefulset', 'replicaset'], 'What to scale @default deployment')),
    name: NAME,
    namespace: NAMESPACE,
    replicas: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Desired number of replicas' }),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  kind: Type.String(),
  previous_replicas: Type.Integer({ description: 'spec.replicas before the change' }),
  replicas: Type.Integer({ description: 'spec.replicas now' }),
  current_replicas: Type.Integer({ description: 'status.replicas: pods that exist right now' }),
});

function replicasOf(scale: KubeObject, part: 'spec' | 'status'): number {
  const r = (scale[part] as Record<string, unknown> | undefined)?.['replicas'];
  return typeof r === 'number' ? r : 0;
}

export const k8sScaleAction = defineAction({
  id: ID,
  // Setting a replica count is idempotent: retrying a 429/5xx cannot scale twice.
  retry: SAAS_RETRY,
  category: 'kubernetes',
  name: 'Kubernetes Scale',
  description: 'Sets the replica count of a Deployment, StatefulSet or ReplicaSet through its scale subresource (merge patch), as `kubectl scale` does.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const kind = p.kind ?? 'deployment';
    const cred = await ctx.credentials.get(p.credential_id, ['kubernetes']);
    return withKube(cred, outbound(ctx), async (kube) => {
      const namespace = kube.namespace(p.namespace);
      const path = `${kubePath(kind, namespace, p.name)}/scale`;
      const before = await kube.object({ method: 'GET', path });
      const after = await kube.object({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body: { spec: { replicas: p.replicas } } });
      const previous = replicasOf(before, 'spec');
      const kindName = KUBE_KINDS[kind].kind;
      ctx.log.log('info', `scaled ${kindName} ${namespace}/${p.name} from ${previous} to ${replicasOf(after, 'spec')} replicas`);
      return { name: p.name, namespace, kind: kindName, previous_replicas: previous, replicas: replicasOf(after, 'spec'), current_replicas: replicasOf(after, 'status') };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `scale ${p.kind ?? 'deployment'} ${p.namespace ?? '(default namespace)'}/${p.name} to ${p.replicas} replicas`;
  },
});
