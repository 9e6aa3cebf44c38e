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
// monitoring (issue 16A)
import { alertmanagerSilenceAction } from './monitoring/alertmanager-silence-action.js';
import { diskUsageAction } from './monitoring/disk-usage-action.js';
import { dnsLookupAction } from './monitoring/dns-lookup-action.js';
import { grafanaAnnotationAction } from './monitoring/grafana-annotation-action.js';
import { httpCheckAction } from './monitoring/http-check-action.js';
import { lokiQueryAction } from './monitoring/loki-query-action.js';
import { pingHostAction } from './monitoring/ping-host-action.js';
import { prometheusQueryAction } from './monitoring/prometheus-query-action.js';
import { tcpCheckAction } from './monitoring/tcp-check-action.js';
import { tlsCertificateCheckAction } from './monitoring/tls-certificate-check-action.js';
// paging, chat and ticket actions (issue 16B)
import { gitHubDeploymentStatusAction } from './code/github-deployment-status-action.js';
import { gitHubIssueAction } from './code/github-issue-action.js';
import { gitLabPipelineAction } from './code/gitlab-pipeline-action.js';
import { commentTicketAction } from './communication/comment-ticket-action.js';
import { sendDiscordAction } from './communication/send-discord-action.js';
import { sendGoogleChatAction } from './communication/send-google-chat-action.js';
import { sendMattermostAction } from './communication/send-mattermost-action.js';
import { sendTeamsAction } from './communication/send-teams-action.js';
import { sendTelegramAction } from './communication/send-telegram-action.js';
import { updateTicketAction } from './communication/update-ticket-action.js';
import { opsgenieAlertAction } from './paging/opsgenie-alert-action.js';
import { pagerDutyEventAction } from './paging/pagerduty-event-action.js';
import { statuspageIncidentAction } from './paging/statuspage-incident-action.js';
// kubernetes, docker, vault, scim (issue 16c)
import { dockerLogsAction } from './containers/docker-logs-action.js';
import { dockerRestartAction } from './containers/docker-restart-action.js';
import { scimCreateUserAction } from './identity/scim-create-user-action.js';
import { scimDeactivateUserAction } from './identity/scim-deactivate-user-action.js';
import { k8sGetAction } from './kubernetes/k8s-get-action.js';
import { k8sLogsAction } from './kubernetes/k8s-logs-action.js';
import { k8sRolloutRestartAction } from './kubernetes/k8s-rollout-restart-action.js';
import { k8sScaleAction } from './kubernetes/k8s-scale-action.js';
import { vaultReadSecretAction } from './secrets/vault-read-secret-action.js';
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
    // monitoring (issue 16A)
    httpCheckAction,
    tcpCheckAction,
    tlsCertificateCheckAction,
    dnsLookupAction,
    pingHostAction,
    diskUsageAction,
    prometheusQueryAction,
    alertmanagerSilenceAction,
    grafanaAnnotationAction,
    lokiQueryAction,
    // paging, chat and ticket actions (issue 16B)
    pagerDutyEventAction,
    opsgenieAlertAction,
    statuspageIncidentAction,
    sendTeamsAction,
    sendDiscordAction,
    sendMattermostAction,
    sendTelegramAction,
    sendGoogleChatAction,
    gitHubIssueAction,
    gitHubDeploymentStatusAction,
    gitLabPipelineAction,
    updateTicketAction,
    commentTicketAction,
    // kubernetes, docker, vault, scim (issue 16c)
    k8sRolloutRestartAction,
    k8sScaleAction,
    k8sGetAction,
    k8sLogsAction,
    dockerRestartAction,
    dockerLogsAction,
    vaultReadSecretAction,
    scimCreateUserAction,
    scimDeactivateUserAction,
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
