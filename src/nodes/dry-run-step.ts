import { Value } from '@sinclair/typebox/value';
import { queryDatabaseAction } from '../actions/data/query-database-action.js';
import type { ActionCatalog } from '../actions/define-action.js';
import { describeRequest } from '../actions/http/http-client.js';
import type { WorkflowNode } from '../model/types.js';
import { actionParams } from './action.js';
import { notificationRoute, type Channel } from './notification.js';

/** One step with side effects, and what running it would do. */
export interface DryRunStep {
  readonly node_id: string;
  readonly node_type: string;
  /** The catalogue action it runs (for notifications, the one its channel goes through). */
  readonly action_type?: string;
  readonly plan: string;
  /** A run_workflow step: the child's own plan, when its definition is known here. */
  readonly child?: { readonly workflow_id: string; readonly steps: readonly DryRunStep[] };
}

/** Node types that reach outside the engine: what a dry run lists. */
export const SIDE_EFFECT_TYPES: ReadonlySet<string> = new Set(['action', 'notification', 'api_call', 'database', 'script', 'run_workflow']);

const silent = { log: () => undefined };

/** A template left unresolved inside a URL comes out of URL parsing encoded: shown as written again. */
function showTemplates(plan: string): string {
  return plan.replace(/%7B%7B.*?%7D%7D/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

/** The action's own `plan()`, or its name when it has none or cannot describe these params. */
async function actionPlan(actions: ActionCatalog, actionType: string, raw: Record<string, unknown>): Promise<string> {
  const action = actions.get(actionType);
  if (!action) return `unknown action "${actionType}"`;
  if (!action.plan) return `${action.name} (${action.id})`;
  try {
    return showTemplates(await action.plan({ params: Value.Default(action.params, Value.Clone(raw)), log: silent, idempotencyKey: 'dry-run' }));
  } catch {
    return `${action.name} (${action.id})`;
  }
}

/** What a side-effecting node would do, with its config already resolved where possible. */
export async function planStep(node: WorkflowNode, config: Readonly<Record<string, unknown>>, actions: ActionCatalog): Promise<DryRunStep> {
  const base = { node_id: node.id, node_type: node.node_type };
  switch (node.node_type) {
    case 'action': {
      const actionType = String(config['action_type']);
      return { ...base, action_type: actionType, plan: await actionPlan(actions, actionType, actionParams(config)) };
    }
    case 'notification': {
      const { action, params } = notificationRoute(config['channel'] as Channel, config);
      return { ...base, action_type: action, plan: await actionPlan(actions, action, params) };
    }
    case 'api_call': {
      const method = typeof config['method'] === 'string' ? config['method'] : 'GET';
      const auth = typeof config['credential_id'] === 'string' ? ` with credential ${config['credential_id']}` : '';
      return { ...base, plan: showTemplates(`${describeRequest(method, String(config['url']))}${auth}`) };
    }
    case 'database':
      return { ...base, plan: await actionPlan(new Map([[queryDatabaseAction.id, queryDatabaseAction]]), queryDatabaseAction.id, { credential_id: config['credential_id'], sql: config['sql'] }) };
    case 'script': {
      const lines = String(config['code']).split('\n').length;
      return { ...base, plan: `run a JavaScript script (${lines} line${lines === 1 ? '' : 's'}) in a separate process${config['allow_network'] === true ? ' with network access' : ''}` };
    }
    case 'run_workflow': {
      const wait = config['wait'] === false ? 'start' : 'run and wait for';
      const version = typeof config['version'] === 'number' ? String(config['version']) : 'active';
      return { ...base, plan: `${wait} workflow ${String(config['workflow_id'])} (version ${version})` };
    }
    default:
      return { ...base, plan: node.node_type };
  }
}
