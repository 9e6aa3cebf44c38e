import { Type, type Static } from '@sinclair/typebox';
import type { KubeObject } from './k8s-client.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const StatusSummary = Type.Object(
  {
    phase: Type.Optional(Type.String({ description: 'Pod phase (Pending, Running, Succeeded, Failed, Unknown), or Ready/NotReady for a node' })),
    replicas: Type.Optional(Type.Integer({ description: 'Desired replicas (desired pods scheduled, for a DaemonSet)' })),
    ready_replicas: Type.Optional(Type.Integer()),
    updated_replicas: Type.Optional(Type.Integer()),
    available_replicas: Type.Optional(Type.Integer()),
    ready_containers: Type.Optional(Type.String({ description: 'Pod containers ready, as kubectl shows it: 1/2' })),
    restarts: Type.Optional(Type.Integer({ description: 'Pod container restarts, summed' })),
    node: Type.Optional(Type.String({ description: 'Node a pod runs on' })),
    active: Type.Optional(Type.Integer({ description: 'Job pods running' })),
    succeeded: Type.Optional(Type.Integer()),
    failed: Type.Optional(Type.Integer()),
    type: Type.Optional(Type.String({ description: 'Service type' })),
    cluster_ip: Type.Optional(Type.String()),
    conditions: Type.Array(Type.Object({ type: Type.String(), status: Type.String(), reason: Type.Optional(Type.String()), message: Type.Optional(Type.String()) })),
  },
  { description: 'What kubectl get shows about the object' },
);
export type StatusSummary = Static<typeof StatusSummary>;

function put(out: Rec, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function conditions(status: Rec): StatusSummary['conditions'] {
  const list = Array.isArray(status['conditions']) ? status['conditions'] : [];
  return list.map(rec).map((c) => {
    const out: StatusSummary['conditions'][number] = { type: str(c['type']) ?? '', status: str(c['status']) ?? '' };
    if (str(c['reason'])) out.reason = str(c['reason'])!;
    if (str(c['message'])) out.message = str(c['message'])!;
    return out;
  });
}

/** The status of a known kind, summarised as `kubectl get` columns. */
export function summarise(kind: string, obj: KubeObject): StatusSummary {
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const out: Rec = { conditions: conditions(status) };
  switch (kind) {
    case 'Pod': {
      const containers = (Array.isArray(status['containerStatuses']) ? status['containerStatuses'] : []).map(rec);
      const total = Array.isArray(spec['containers']) ? spec['containers'].length : containers.length;
      put(out, 'phase', str(status['phase']));
      out['ready_containers'] = `${containers.filter((c) => c['ready'] === true).length}/${total}`;
      out['restarts'] = containers.reduce((n, c) => n + (num(c['restartCount']) ?? 0), 0);
      put(out, 'node', str(spec['nodeName']));
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      out['replicas'] = num(spec['replicas']) ?? 1;
      out['ready_replicas'] = num(status['readyReplicas']) ?? 0;
      out['updated_replicas'] = num(status['updatedReplicas']) ?? 0;
      out['available_replicas'] = num(status['availableReplicas']) ?? 0;
      break;
    case 'DaemonSet':
      out['replicas'] = num(status['desiredNumberScheduled']) ?? 0;
      out['ready_replicas'] = num(status['numberReady']) ?? 0;
      out['updated_replicas'] = num(status['updatedNumberScheduled']) ?? 0;
      out['available_replicas'] = num(status['numberAvailable']) ?? 0;
      break;
    case 'Job':
      out['active'] = num(status['active']) ?? 0;
      out['succeeded'] = num(status['succeeded']) ?? 0;
      out['failed'] = num(status['failed']) ?? 0;
      break;
    case 'Service':
      put(out, 'type', str(spec['type']));
      put(out, 'cluster_ip', str(spec['clusterIP']));
      break;
    case 'Node': {
      const ready = (out['conditions'] as StatusSummary['conditions']).find((c) => c.type === 'Ready');
      out['phase'] = ready?.status === 'True' ? 'Ready' : 'NotReady';
      break;
    }
    default:
      break;
  }
  return out as StatusSummary;
}

/**
 * Whether a rollout is done, as `kubectl rollout status` judges it; `failed` when the Deployment's
 * progress deadline passed. `waiting` says what is left, for the log.
 */
export function rolloutState(kind: string, obj: KubeObject): { done: true } | { done: false; waiting: string; failed?: boolean } {
  const meta = rec(obj['metadata']);
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const generation = num(meta['generation']) ?? 0;
  if ((num(status['observedGeneration']) ?? 0) < generation) return { done: false, waiting: 'the controller has not seen the new spec yet' };
  const n = (key: string) => num(status[key]) ?? 0;
  if (kind === 'Deployment') {
    const progressing = conditions(status).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, waiting: `rollout exceeded its progress deadline: ${progressing.message ?? ''}`.trim(), failed: true };
    const want = num(spec['replicas']) ?? 1;
    if (n('updatedReplicas') < want) return { done: false, waiting: `${n('updatedReplicas')} of ${want} new replicas updated` };
    if (n('replicas') > n('updatedReplicas')) return { done: false, waiting: `${n('replicas') - n('updatedReplicas')} old replicas pending termination` };
    if (n('availableReplicas') < n('updatedReplicas')) return { done: false, waiting: `${n('availableReplicas')} of ${n('updatedReplicas')} updated replicas available` };
    return { done: true };
  }
  if (kind === 'StatefulSet') {
    const want = num(spec['replicas']) ?? 1;
    if (n('readyReplicas') < want) return { done: false, waiting: `${n('readyReplicas')} of ${want} pods ready` };
    if (n('updatedReplicas') < want) return { done: false, waiting: `${n('updatedReplicas')} of ${want} pods updated` };
    if (str(status['updateRevision']) !== str(status['currentRevision'])) return { done: false, waiting: 'waiting for the update revision to become current' };
    return { done: true };
  }
  const want = n('desiredNumberScheduled');
  if (n('updatedNumberScheduled') < want) return { done: false, waiting: `${n('updatedNumberScheduled')} of ${want} pods updated` };
  if (n('numberAvailable') < want) return { done: false, waiting: `${n('numberAvailable')} of ${want} updated pods available` };
  return { done: true };
}
