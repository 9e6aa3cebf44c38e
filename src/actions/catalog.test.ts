import { describe, expect, it } from 'vitest';
import { actionSummary, builtinActions } from './catalog.js';

describe('builtinActions', () => {
  it('holds the built-in actions keyed by their id', () => {
    const catalog = builtinActions();
    expect([...catalog.keys()].sort()).toEqual([
      'alertmanager_silence',
      'amqp_publish',
      'assign_incident',
      'backup_database',
      'call_api',
      'comment_ticket',
      'create_incident',
      'create_ticket',
      'deploy_application',
      'disk_usage',
      'dns_lookup',
      'docker_logs',
      'docker_restart',
      'emit_event',
      'escalate_incident',
      'execute_command',
      'github_deployment_status',
      'github_issue',
      'gitlab_pipeline',
      'grafana_annotation',
      'http_check',
      'http_request',
      'k8s_get',
      'k8s_logs',
      'k8s_rollout_restart',
      'k8s_scale',
      'ldap_add_to_group',
      'ldap_create_user',
      'ldap_disable_user',
      'log',
      'loki_query',
      'mqtt_publish',
      'nats_publish',
      'opsgenie_alert',
      'pagerduty_event',
      'ping_host',
      'prometheus_query',
      'query_database',
      'redis_command',
      'resolve_incident',
      'restart_service',
      'rollback_deployment',
      'run_script',
      'run_tests',
      'scim_create_user',
      'scim_deactivate_user',
      'send_discord',
      'send_email',
      'send_google_chat',
      'send_mattermost',
      'send_slack',
      'send_sms',
      'send_teams',
      'send_telegram',
      'sftp_download',
      'sftp_upload',
      'statuspage_incident',
      'tcp_check',
      'tls_certificate_check',
      'transform_data',
      'update_incident',
      'update_ticket',
      'vault_read_secret',
    ]);
    for (const [id, action] of catalog) expect(action.id).toBe(id);
  });
});

describe('actionSummary', () => {
  it('is plain JSON with the params as JSON Schema', () => {
    const action = builtinActions().get('http_request');
    expect(action).toBeDefined();
    const summary = actionSummary(action!);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(summary).toMatchObject({ id: 'http_request', name: 'HTTP Request', category: 'utility' });
    expect(summary.params).toMatchObject({ type: 'object', required: ['url'], properties: { url: { type: 'string' } } });
    expect(summary.output).toMatchObject({ type: 'object', properties: { status: { type: 'integer' } } });
  });
});
