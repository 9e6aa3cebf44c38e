import { jsonPointer } from '../json-pointer.js';
import type { WorkflowDefinition, WorkflowNode } from '../types.js';
import { knownString } from './known-value.js';

const HTTP = ['http_bearer', 'http_basic', 'http_header'] as const;
const PROVIDERS = ['pagerduty', 'opsgenie', 'servicenow'] as const;
const TICKETS = ['jira', 'servicenow', 'github'] as const;

/** A credential a step names, where, and which types its handler accepts. */
export interface CredentialRef {
  readonly node_id: string;
  readonly path: string;
  readonly id: string;
  readonly types: readonly string[];
}

/**
 * The config keys of each step that name a credential, with the types the step's handler asks the
 * vault for (the `credentials.get(id, types)` calls of src/actions and src/nodes). Kept as data here:
 * the model cannot import the handlers.
 */
function refKeys(node: WorkflowNode, def: WorkflowDefinition): Array<readonly [string, readonly string[]]> {
  const c = node.config;
  switch (node.node_type) {
    case 'api_call':
      return [['credential_id', HTTP]];
    case 'database':
      return [['credential_id', ['database']]];
    case 'notification': {
      const byChannel: Record<string, readonly string[]> = { slack: ['slack'], email: ['smtp'], sms: ['twilio'], webhook: HTTP };
      const channel = knownString(def, c['channel']);
      return [['credential_id', (channel !== undefined ? byChannel[channel] : undefined) ?? ['slack', 'smtp', 'twilio', ...HTTP]]];
    }
    case 'action':
      break;
    default:
      return [];
  }
  switch (knownString(def, c['action_type'])) {
    case 'send_slack': return [['credential_id', ['slack']]];
    case 'send_sms': return [['credential_id', ['twilio']]];
    case 'send_email': return [['credential_id', ['smtp']]];
    case 'create_ticket': {
      const system = knownString(def, c['system']);
      return [['credential_id', system && (TICKETS as readonly string[]).includes(system) ? [system] : TICKETS]];
    }
    case 'call_api':
    case 'restart_service':
    case 'deploy_application':
    case 'rollback_deployment':
      return [['credential_id', HTTP]];
    case 'query_database':
    case 'backup_database':
      return [['credential_id', ['database']]];
    case 'execute_command': return [['ssh_credential_id', ['ssh_key']]];
    // paging, chat and ticket actions (issue 16B)
    case 'pagerduty_event': return [['credential_id', ['pagerduty']]];
    case 'opsgenie_alert': return [['credential_id', ['opsgenie']]];
    case 'statuspage_incident': return [['credential_id', ['statuspage']]];
    case 'send_teams': return [['credential_id', ['teams']]];
    case 'send_discord': return [['credential_id', ['discord']]];
    case 'send_mattermost': return [['credential_id', ['mattermost']]];
    case 'send_telegram': return [['credential_id', ['telegram']]];
    case 'send_google_chat': return [['credential_id', ['google_chat']]];
    case 'github_issue':
    case 'github_deployment_status':
      return [['credential_id', ['github']]];
    case 'gitlab_pipeline': return [['credential_id', ['gitlab']]];
    case 'update_ticket':
    case 'comment_ticket': {
      const system = knownString(def, c['system']);
      return [['credential_id', system && (TICKETS as readonly string[]).includes(system) ? [system] : TICKETS]];
    }
    // kubernetes, docker, vault, scim (issue 16c)
    case 'k8s_rollout_restart':
    case 'k8s_scale':
    case 'k8s_get':
    case 'k8s_logs':
      return [['credential_id', ['kubernetes']]];
    case 'docker_restart':
    case 'docker_logs':
      return [['credential_id', ['docker']]];
    case 'vault_read_secret': return [['credential_id', ['vault']]];
    case 'scim_create_user':
    case 'scim_deactivate_user':
      return [['credential_id', ['scim']]];
    case 'create_incident':
    case 'resolve_incident':
      return [['provider_credential_id', PROVIDERS]];
    default:
      return [];
  }
}

/** Every credential the enabled steps name whose id is known before a run (literal or a variable's default). */
export function credentialRefs(def: WorkflowDefinition): CredentialRef[] {
  const refs: CredentialRef[] = [];
  def.nodes.forEach((node, i) => {
    if (node.disabled === true) return;
    for (const [key, types] of refKeys(node, def)) {
      const id = knownString(def, node.config[key]);
      if (id !== undefined && id !== '') refs.push({ node_id: node.id, path: jsonPointer('nodes', i, 'config', key), id, types });
    }
  });
  return refs;
}
