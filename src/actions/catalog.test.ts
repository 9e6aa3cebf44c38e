import { describe, expect, it } from 'vitest';
import { actionSummary, builtinActions } from './catalog.js';

describe('builtinActions', () => {
  it('holds the built-in actions keyed by their id', () => {
    const catalog = builtinActions();
    expect([...catalog.keys()].sort()).toEqual([
      'amqp_publish',
      'assign_incident',
      'backup_database',
      'call_api',
      'create_incident',
      'create_ticket',
      'deploy_application',
      'emit_event',
      'escalate_incident',
      'execute_command',
      'http_request',
      'ldap_add_to_group',
      'ldap_create_user',
      'ldap_disable_user',
      'log',
      'mqtt_publish',
      'nats_publish',
      'query_database',
      'redis_command',
      'resolve_incident',
      'restart_service',
      'rollback_deployment',
      'run_script',
      'run_tests',
      'send_email',
      'send_slack',
      'send_sms',
      'sftp_download',
      'sftp_upload',
      'transform_data',
      'update_incident',
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
