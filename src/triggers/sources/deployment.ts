import { Type, type Static } from '@sinclair/typebox';
import { ItwError } from '../../model/errors.js';
import { globToRegExp } from '../glob.js';
import { hmacHex, normalPath, parseJson, PathSchema, safeEqual, unauthorized } from '../ingress.js';
import { NO_HANDLE, type IngressRequest, type IngressTarget, type TriggerSource } from '../trigger-source.js';
import { firedIds } from '../held-firing.js';

export const DEPLOYMENT_EVENTS = ['push', 'deployment', 'deployment_status', 'pipeline'] as const;
type DeploymentEvent = (typeof DEPLOYMENT_EVENTS)[number];
// `pipeline` is opt-in: triggers configured before GitLab Pipeline Hooks were mapped must not start firing on them.
const DEFAULT_EVENTS: DeploymentEvent[] = ['push', 'deployment', 'deployment_status'];

export const DeploymentConfigSchema = Type.Object({
  /** Served at /deployments/{path}; several triggers may share a path (each checks its own secret). */
  path: PathSchema,
  provider: Type.Union([Type.Literal('any'), Type.Literal('github'), Type.Literal('gitlab')], { default: 'any' }),
  /** GitHub: the webhook secret (X-Hub-Signature-256); GitLab: the token (X-Gitlab-Token). */
  secret: Type.String({ minLength: 1 }),
  events: Type.Array(Type.Union(DEPLOYMENT_EVENTS.map((e) => Type.Literal(e))), { minItems: 1, default: DEFAULT_EVENTS }),
  /** Branch names, `*` matching within a segment and `**` across: main, release/*. */
  branches: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  environments: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** deployment_status states (GitHub: success, failure...; GitLab: success, failed, running...). */
  states: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
});
export type DeploymentConfig = Static<typeof DeploymentConfigSchema>;

/** A push or deployment event, the same shape from both providers. */
export interface DeploymentInput {
  readonly provider: 'github' | 'gitlab';
  readonly event: DeploymentEvent;
  readonly delivery_id: string | null;
  readonly repository: string | null;
  readonly ref: string | null;
  readonly branch: string | null;
  readonly sha: string | null;
  readonly environment: string | null;
  readonly state: string | null;
  readonly sender: string | null;
  /** GitLab Deployment Hook: the job's page; pipeline: the pipeline's page. */
  readonly url: string | null;
  /** Filters this event could not be evaluated against (a branch filter on a payload without `ref`): it fired anyway. */
  readonly filter_warnings: readonly string[];
  readonly payload: unknown;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const s = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const branchOf = (ref: string | null): string | null => (ref === null ? null : ref.startsWith('refs/heads/') ? ref.slice(11) : ref.startsWith('refs/') ? null : ref);

function provider(req: IngressRequest): 'github' | 'gitlab' {
  if (req.headers['x-github-event'] !== undefined) return 'github';
  if (req.headers['x-gitlab-event'] !== undefined) return 'gitlab';
  throw new ItwError('bad_request', 'neither X-GitHub-Event nor X-Gitlab-Event is present');
}

function authentic(c: DeploymentConfig, p: 'github' | 'gitlab', req: IngressRequest): boolean {
  if (c.provider !== 'any' && c.provider !== p) return false;
  if (p === 'github') {
    const sig = req.headers['x-hub-signature-256'];
    return sig !== undefined && safeEqual(sig.trim().toLowerCase(), `sha256=${hmacHex(c.secret, req.rawBody)}`);
  }
  const token = req.headers['x-gitlab-token'];
  return token !== undefined && safeEqual(token, c.secret);
}

function githubInput(event: string, body: Obj, delivery: string | null): DeploymentInput | undefined {
  const repo = s(obj(body['repository'])['full_name']);
  const sender = s(obj(body['sender'])['login']) ?? s(obj(body['pusher'])['name']);
  const base = { provider: 'github' as const, delivery_id: delivery, repository: repo, sender, url: null, filter_warnings: [], payload: body };
  if (event === 'push') {
    const ref = s(body['ref']);
    return { ...base, event, ref, branch: branchOf(ref), sha: s(body['after']), environment: null, state: null };
  }
  if (event === 'deployment' || event === 'deployment_status') {
    const d = obj(body['deployment']);
    const ds = obj(body['deployment_status']);
    const ref = s(d['ref']);
    return {
      ...base, event, ref, branch: branchOf(ref), sha: s(d['sha']),
      environment: event === 'deployment' ? s(d['environment']) : (s(ds['environment']) ?? s(d['environment'])),
      state: event === 'deployment_status' ? s(ds['state']) : null,
    };
  }
  return undefined;
}

const ZERO_SHA = /^0{40}$/;
/** GitLab's commit_url ends in the full sha: `.../-/commit/<sha>`. */
const shaOfCommitUrl = (url: string | null): string | null => (url === null ? null : (/\/commit\/([0-9a-f]{40})$/.exec(url)?.[1] ?? null));

function gitlabInput(event: string, body: Obj, delivery: string | null): DeploymentInput | undefined {
  const project = obj(body['project']);
  const base = { provider: 'gitlab' as const, delivery_id: delivery, repository: s(project['path_with_namespace']), filter_warnings: [], payload: body };
  if (event === 'Push Hook') {
    const ref = s(body['ref']);
    return { ...base, event: 'push', ref, branch: branchOf(ref), sha: s(body['checkout_sha']) ?? s(body['after']), environment: null, state: null, sender: s(body['user_username']), url: null };
  }
  if (event === 'Deployment Hook') {
    // https://docs.gitlab.com/user/project/integrations/webhook_events/#deployment-events: short_sha and
    // commit_url always; `ref` only on recent versions (a branch or tag name, unqualified).
    const ref = s(body['ref']);
    return {
      ...base, event: 'deployment_status', ref, branch: ref, sha: s(body['sha']) ?? shaOfCommitUrl(s(body['commit_url'])) ?? s(body['short_sha']),
      environment: s(body['environment']), state: s(body['status']), sender: s(obj(body['user'])['username']), url: s(body['deployable_url']),
    };
  }
  if (event === 'Pipeline Hook') {
    // https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events
    const a = obj(body['object_attributes']);
    const ref = s(a['ref']);
    return {
      ...base, event: 'pipeline', ref, branch: a['tag'] === true ? null : ref, sha: s(a['sha']), environment: null,
      state: s(a['status']), sender: s(obj(body['user'])['username']), url: s(a['url']),
    };
  }
  return undefined;
}

/** A push deleting a branch carries the zero sha as its new head: not a push of code to run on. */
function deletesBranch(d: DeploymentInput): boolean {
  if (d.event !== 'push') return false;
  const body = obj(d.payload);
  return body['deleted'] === true || ZERO_SHA.test(s(body['after']) ?? '');
}

/**
 * Whether a trigger takes the event, and the filters it could not evaluate. A branch filter meets a
 * payload without a ref (GitLab Deployment Hooks before `ref` was added): dropping the event would be a
 * silent outage, so it passes with a warning the execution's input and the HTTP answer carry.
 */
export function matchesFilters(c: DeploymentConfig, d: DeploymentInput): { readonly match: boolean; readonly warnings: string[] } {
  const no = { match: false, warnings: [] };
  const warnings: string[] = [];
  if (!c.events.includes(d.event)) return no;
  if (c.branches) {
    if (d.ref === null) warnings.push(`branches filter not evaluated: this ${d.provider} ${d.event} payload carries no ref`);
    else if (!(d.branch !== null && c.branches.some((b) => globToRegExp(b).test(d.branch!)))) return no;
  }
  if (c.environments && !(d.environment !== null && c.environments.includes(d.environment))) return no;
  if (c.states && !(d.state !== null && c.states.includes(d.state))) return no;
  return { match: true, warnings };
}

/** GitHub (X-Hub-Signature-256) and GitLab (X-Gitlab-Token) push and deployment events, filtered by branch/environment/state. */
export const deploymentSource: TriggerSource = {
  type: 'deployment',
  configSchema: DeploymentConfigSchema,
  routeKeys: (config) => ({ keys: [normalPath((config as DeploymentConfig).path)], exclusive: false }),
  start: () => Promise.resolve(NO_HANDLE),
  async handle(req, targets) {
    if (targets.length === 0) throw new ItwError('not_found', `no deployment endpoint ${req.path}`);
    const p = provider(req);
    const accepted: IngressTarget[] = targets.filter((t) => authentic(t.binding.config as DeploymentConfig, p, req));
    if (accepted.length === 0) throw unauthorized(p === 'github' ? 'X-Hub-Signature-256 does not match the body' : 'missing or wrong X-Gitlab-Token');
    const body = parseJson(req);
    const event = (p === 'github' ? req.headers['x-github-event'] : req.headers['x-gitlab-event']) ?? '';
    if (p === 'github' && event === 'ping') return { status: 200, body: { status: 'pong' } };
    // GitLab: Idempotency-Key is the same across retries of one delivery, X-Gitlab-Event-UUID next;
    // X-Gitlab-Webhook-UUID is new for every request, so keying on it let every retry run again.
    const delivery = (p === 'github' ? req.headers['x-github-delivery'] : (req.headers['idempotency-key'] || req.headers['x-gitlab-event-uuid'])) || null;
    const input = p === 'github' ? githubInput(event, obj(body), delivery) : gitlabInput(event, obj(body), delivery);
    if (!input) return { status: 200, body: { status: 'ignored', detail: `event ${event} is not one a deployment trigger fires on` } };
    if (deletesBranch(input)) return { status: 200, body: { status: 'ignored', detail: `push deletes ${input.ref ?? 'a ref'}: nothing to deploy` } };
    const executions: Array<{ trigger_id: string } & ReturnType<typeof firedIds>> = [];
    const warnings = new Set<string>();
    for (const t of accepted) {
      const verdict = matchesFilters(t.binding.config as DeploymentConfig, input);
      if (!verdict.match) continue;
      for (const w of verdict.warnings) {
        warnings.add(w);
        t.ctx.log('warn', w, { delivery_id: delivery });
      }
      const fired = await t.ctx.fire({ input: { ...input, filter_warnings: verdict.warnings }, key: delivery === null ? null : `${p}:${delivery}` });
      executions.push({ trigger_id: t.binding.id, ...firedIds(fired) });
    }
    if (executions.length === 0) return { status: 200, body: { status: 'filtered', event: input.event, executions } };
    // A retried delivery that starts nothing new answers 200, as docs/TRIGGERS.md promises (202 = accepted now).
    const duplicate = executions.every((e) => e.duplicate);
    return { status: duplicate ? 200 : 202, body: { status: 'accepted', event: input.event, duplicate, executions, ...(warnings.size > 0 ? { warnings: [...warnings] } : {}) } };
  },
};
