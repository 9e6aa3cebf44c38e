import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { withKube } from './k8s-client.js';
import { CREDENTIAL, kubePath, NAME, NAMESPACE } from './k8s-resources.js';

const ID = 'k8s_logs';
const DEFAULT_MAX_BYTES = 256 * 1024;

const Params = Type.Object(
  {
    credential_id: CREDENTIAL,
    pod: NAME,
    namespace: NAMESPACE,
    container: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63, description: 'Container; required when the pod has several' })),
    tail_lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 100, description: 'Last lines to return' })),
    since_seconds: Type.Optional(Type.Integer({ minimum: 1, description: 'Only lines newer than this many seconds' })),
    previous: Type.Optional(Type.Boolean({ description: 'Logs of the previous (crashed) instance of the container' })),
    timestamps: Type.Optional(Type.Boolean({ description: 'Prefix each line with its RFC 3339 timestamp' })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 4 * 1024 * 1024, default: DEFAULT_MAX_BYTES, description: 'At most this many bytes of log (the API server cuts there)' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  pod: Type.String(),
  namespace: Type.String(),
  container: Type.Optional(Type.String()),
  lines: Type.Array(Type.String()),
  bytes: Type.Integer({ description: 'Size of the log text returned' }),
  truncated: Type.Boolean({ description: 'The log reached max_bytes: there may be more' }),
});

export const k8sLogsAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'kubernetes',
  name: 'Kubernetes Pod Logs',
  description: 'Reads the last lines of a pod container\'s log (GET pods/{name}/log, as `kubectl logs --tail`), bounded in size.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const maxBytes = p.max_bytes ?? DEFAULT_MAX_BYTES;
    const cred = await ctx.credentials.get(p.credential_id, ['kubernetes']);
    return withKube(cred, outbound(ctx), async (kube) => {
      const namespace = kube.namespace(p.namespace);
      const query: Record<string, string | number | boolean> = { tailLines: p.tail_lines ?? 100, limitBytes: maxBytes };
      if (p.container !== undefined) query['container'] = p.container;
      if (p.since_seconds !== undefined) query['sinceSeconds'] = p.since_seconds;
      if (p.previous === true) query['previous'] = true;
      if (p.timestamps === true) query['timestamps'] = true;
      // limitBytes bounds what the server sends; the cap here is for a server that ignores it.
      const res = await kube.request({ method: 'GET', path: `${kubePath('pod', namespace, p.pod)}/log`, query, responseType: 'text', maxResponseBytes: maxBytes + 64 * 1024 });
      const text = typeof res.body === 'string' ? res.body : '';
      const bytes = Buffer.byteLength(text);
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      ctx.log.log('info', `read ${lines.length} log line(s) of pod ${namespace}/${p.pod}`);
      const out = { pod: p.pod, namespace, lines, bytes, truncated: bytes >= maxBytes };
      return p.container === undefined ? out : { ...out, container: p.container };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `read the last ${p.tail_lines ?? 100} log lines of pod ${p.namespace ?? '(default namespace)'}/${p.pod}${p.container ? ` container ${p.container}` : ''}`;
  },
});
