import type { TSchema } from '@sinclair/typebox';
import { createTicketAction } from './communication/create-ticket-action.js';
import { sendEmailAction } from './communication/send-email-action.js';
import { sendSlackAction } from './communication/send-slack-action.js';
import { sendSmsAction } from './communication/send-sms-action.js';
import { backupDatabaseAction } from './data/backup-database-action.js';
import { callApiAction } from './data/call-api-action.js';
import { queryDatabaseAction } from './data/query-database-action.js';
import { transformDataAction } from './data/transform-data-action.js';
import { deployApplicationAction } from './deployment/deploy-application-action.js';
import { rollbackDeploymentAction } from './deployment/rollback-deployment-action.js';
import { runTestsAction } from './deployment/run-tests-action.js';
import type { ActionCatalog, AnyAction } from './define-action.js';
import { httpRequestAction } from './http/http-request-action.js';
import { assignIncidentAction } from './incident/assign-incident-action.js';
import { createIncidentAction } from './incident/create-incident-action.js';
import { escalateIncidentAction } from './incident/escalate-incident-action.js';
import { resolveIncidentAction } from './incident/resolve-incident-action.js';
import { updateIncidentAction } from './incident/update-incident-action.js';
import { executeCommandAction } from './infrastructure/execute-command-action.js';
import { restartServiceAction } from './infrastructure/restart-service-action.js';
import { runScriptAction } from './infrastructure/run-script-action.js';
import { logAction } from './log/log-action.js';
import { emitEventAction } from './events/emit-event-action.js';
// 16D messaging, LDAP, SFTP
import { amqpPublishAction } from './messaging/amqp-publish-action.js';
import { mqttPublishAction } from './messaging/mqtt-publish-action.js';
import { natsPublishAction } from './messaging/nats-publish-action.js';
import { redisCommandAction } from './messaging/redis-command-action.js';
import { ldapAddToGroupAction } from './identity/ldap-add-to-group-action.js';
import { ldapCreateUserAction } from './identity/ldap-create-user-action.js';
import { ldapDisableUserAction } from './identity/ldap-disable-user-action.js';
import { sftpDownloadAction } from './files/sftp-download-action.js';
import { sftpUploadAction } from './files/sftp-upload-action.js';

/** Every built-in action, keyed by id (`config.action_type`). New integrations register here. */
export function builtinActions(): ActionCatalog {
  const actions: readonly AnyAction[] = [
    httpRequestAction,
    logAction,
    emitEventAction,
    // communication
    sendSlackAction,
    sendSmsAction,
    sendEmailAction,
    createTicketAction,
    // infrastructure
    executeCommandAction,
    runScriptAction,
    restartServiceAction,
    // deployment
    deployApplicationAction,
    rollbackDeploymentAction,
    runTestsAction,
    // data
    backupDatabaseAction,
    queryDatabaseAction,
    callApiAction,
    transformDataAction,
    // incident
    createIncidentAction,
    updateIncidentAction,
    assignIncidentAction,
    escalateIncidentAction,
    resolveIncidentAction,
    // 16D messaging, LDAP, SFTP
    mqttPublishAction,
    natsPublishAction,
    amqpPublishAction,
    redisCommandAction,
    ldapCreateUserAction,
    ldapAddToGroupAction,
    ldapDisableUserAction,
    sftpUploadAction,
    sftpDownloadAction,
  ];
  return new Map(actions.map((a) => [a.id, a]));
}

export interface ActionSummary {
  readonly id: string;
  readonly name: string;
  readonly category: AnyAction['category'];
  readonly description: string;
  /** JSON Schema of the params (what the editor renders a form from). */
  readonly params: unknown;
  readonly output: unknown;
}

/**
 * TypeBox schemas carry symbol-keyed metadata (`[Kind]`) that JSON.stringify drops anyway;
 * a JSON round trip gives the API the plain JSON Schema without them.
 */
function toJsonSchema(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema)) as unknown;
}

export function actionSummary(a: AnyAction): ActionSummary {
  return {
    id: a.id,
    name: a.name,
    category: a.category,
    description: a.description,
    params: toJsonSchema(a.params),
    output: toJsonSchema(a.output),
  };
}
