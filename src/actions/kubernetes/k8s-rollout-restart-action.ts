import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import type { StepLogger } from '../../engine/node-handler.js';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { ItwError, NonRetryableError } from '../../model/errors.js';
import { type KubeClient, type KubeObject, withKube } from './k8s-client.js';
import { CREDENTIAL, kindSchema, KUBE_KINDS, kubePath, NAME, NAMESPACE } from './k8s-resources.js';
import { rolloutState, StatusSummary, summarise } from './k8s-status.js';

const ID = 'k8s_rollout_restart';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const Params = Type.Object(
  {
    credential_id: CREDENTIAL,
    kind: Type.Optional(kindSchema(['deployment', 'statefulset', 'daemonset'], 'What to restart @default deployment')),
    name: NAME,
    namespace: NAMESPACE,
    wait: Type.Optional(Type.Boolean({ default: false, description: 'Wait until the rollout has finished (as kubectl rollout status)' })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 300, description: 'How long to wait for the rollout' })),
    poll_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 2, description: 'Seconds between status checks while waiting' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  kind: Type.String(),
  restarted_at: Type.String({ description: `The ${RESTARTED_AT} annotation set on the pod template` }),
  generation: Type.Integer({ description: 'metadata.generation after the patch' }),
  rolled_out: Type.Boolean({ description: 'True when wait was asked and the rollout finished' }),
  status: StatusSummary,
});

/** kubectl sets the annotation to time.Now() in RFC 3339, seconds precision. */
function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function generationOf(obj: KubeObject): number {
  const g = (obj['metadata'] as Record<string, unknown> | undefined)?.['generation'];
  return typeof g === 'number' ? g : 0;
}

/** Polls the object until its rollout is done, the timeout passes, or the step is cancelled. */
async function waitForRollout(kube: KubeClient, ctx: { readonly log: StepLogger; readonly signal: AbortSignal }, path: string, kind: string, timeoutSeconds: number, pollSeconds: number): Promise<KubeObject> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = '';
  for (;;) {
    const obj = await kube.object({ method: 'GET', path });
    const state = rolloutState(kind, obj);
    if (state.done) return obj;
    if (state.failed) throw new NonRetryableError('kubernetes_rollout_failed', `${kind} ${path.split('/').pop()} ${state.waiting}`);
    if (state.waiting !== last) ctx.log.log('info', `waiting for rollout: ${state.waiting}`);
    last = state.waiting;
    if (Date.now() + pollSeconds * 1000 > deadline) {
      throw new NonRetryableError('kubernetes_rollout_timeout', `rollout did not finish within ${timeoutSeconds}s: ${state.waiting}`, { details: { timeout_seconds: timeoutSeconds } });
    }
    try {
      await sleep(pollSeconds * 1000, undefined, { signal: ctx.signal });
    } catch (cause) {
      throw new ItwError('cancelled', 'waiting for the rollout was cancelled', { cause });
    }
  }
}

export const k8sRolloutRestartAction = defineAction({
  id: ID,
  // No default retries: every attempt stamps a new restartedAt, so a retry would restart the pods again.
  category: 'kubernetes',
  name: 'Kubernetes Rollout Restart',
  description:
    `Restarts the pods of a Deployment, StatefulSet or DaemonSet as \`kubectl rollout restart\` does: patches the pod template's ` +
    `${RESTARTED_AT} annotation (strategic merge patch) so the controller replaces its pods. Optionally waits for the rollout to finish.`,
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const kind = p.kind ?? 'deployment';
    const cred = await ctx.credentials.get(p.credential_id, ['kubernetes']);
    return withKube(cred, outbound(ctx), async (kube) => {
      const namespace = kube.namespace(p.namespace);
      const path = kubePath(kind, namespace, p.name);
      const restartedAt = rfc3339Now();
      const patched = await kube.object({
        method: 'PATCH',
        path,
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } },
      });
      const kindName = KUBE_KINDS[kind].kind;
      ctx.log.log('info', `restarted ${kindName} ${namespace}/${p.name}`, { restarted_at: restartedAt });
      const final = p.wait === true ? await waitForRollout(kube, ctx, path, kindName, p.timeout_seconds ?? 300, p.poll_seconds ?? 2) : patched;
      if (p.wait === true) ctx.log.log('info', `rollout of ${kindName} ${namespace}/${p.name} finished`);
      return { name: p.name, namespace, kind: kindName, restarted_at: restartedAt, generation: generationOf(patched), rolled_out: p.wait === true, status: summarise(kindName, final) };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `restart the pods of ${p.kind ?? 'deployment'} ${p.namespace ?? '(default namespace)'}/${p.name}${p.wait ? `, waiting up to ${p.timeout_seconds ?? 300}s for the rollout` : ''}`;
  },
});
