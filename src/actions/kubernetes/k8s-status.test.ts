import { describe, expect, it } from 'vitest';
import { rolloutState, summarise } from './k8s-status.js';

const obj = (generation: number, spec: Record<string, unknown>, status: Record<string, unknown>) => ({ metadata: { generation }, spec, status });

describe('rolloutState (as kubectl rollout status)', () => {
  it('StatefulSet: waits for ready and updated pods and the update revision to become current', () => {
    expect(rolloutState('StatefulSet', obj(3, { replicas: 3 }, { observedGeneration: 3, readyReplicas: 2, updatedReplicas: 3 }))).toEqual({ done: false, waiting: '2 of 3 pods ready' });
    expect(rolloutState('StatefulSet', obj(3, { replicas: 3 }, { observedGeneration: 3, readyReplicas: 3, updatedReplicas: 3, updateRevision: 'db-2', currentRevision: 'db-1' }))).toMatchObject({ done: false });
    expect(rolloutState('StatefulSet', obj(3, { replicas: 3 }, { observedGeneration: 3, readyReplicas: 3, updatedReplicas: 3, updateRevision: 'db-2', currentRevision: 'db-2' }))).toEqual({ done: true });
  });

  it('DaemonSet: every scheduled pod updated and available', () => {
    expect(rolloutState('DaemonSet', obj(2, {}, { observedGeneration: 1 }))).toEqual({ done: false, waiting: 'the controller has not seen the new spec yet' });
    expect(rolloutState('DaemonSet', obj(2, {}, { observedGeneration: 2, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 3 }))).toEqual({ done: false, waiting: '3 of 4 updated pods available' });
    expect(rolloutState('DaemonSet', obj(2, {}, { observedGeneration: 2, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4 }))).toEqual({ done: true });
  });
});

describe('summarise (kubectl get columns)', () => {
  it('a node is Ready by its Ready condition; a job counts its pods; a service shows type and IP', () => {
    expect(summarise('Node', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } })).toEqual({ phase: 'NotReady', conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] });
    expect(summarise('Job', { status: { succeeded: 1 } })).toEqual({ active: 0, succeeded: 1, failed: 0, conditions: [] });
    expect(summarise('Service', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.10' } })).toEqual({ type: 'ClusterIP', cluster_ip: '10.96.0.10', conditions: [] });
  });
});
