import { Type } from '@sinclair/typebox';

/** The kinds the kubernetes actions know: their API group path, plural and scope. */
export const KUBE_KINDS = {
  pod: { api: '/api/v1', plural: 'pods', kind: 'Pod', namespaced: true },
  service: { api: '/api/v1', plural: 'services', kind: 'Service', namespaced: true },
  node: { api: '/api/v1', plural: 'nodes', kind: 'Node', namespaced: false },
  deployment: { api: '/apis/apps/v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  statefulset: { api: '/apis/apps/v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  daemonset: { api: '/apis/apps/v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  replicaset: { api: '/apis/apps/v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  job: { api: '/apis/batch/v1', plural: 'jobs', kind: 'Job', namespaced: true },
} as const;
export type KubeKind = keyof typeof KUBE_KINDS;

export function kindSchema<K extends KubeKind>(kinds: readonly K[], description: string) {
  return Type.Union(kinds.map((k) => Type.Literal(k)), { description });
}

/** DNS-1123 subdomain: what object names are (and nothing that could change the URL path). */
export const NAME = Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253, description: 'Object name' });
/** DNS-1123 label. */
export const NAMESPACE = Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: "Namespace; the kubeconfig context's namespace, else default" }));
export const CREDENTIAL = Type.String({ minLength: 1, description: 'Credential of type kubernetes: {kubeconfig, context?}' });

/** Path of a collection (`name` undefined) or of one object. */
export function kubePath(kind: KubeKind, namespace: string, name?: string): string {
  const k = KUBE_KINDS[kind];
  const base = k.namespaced ? `${k.api}/namespaces/${namespace}/${k.plural}` : `${k.api}/${k.plural}`;
  return name === undefined ? base : `${base}/${name}`;
}
