import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { definition, node } from '../validate/test-catalog.js';
import { checkAllowLists } from './check-allow-lists.js';
import { checkCredentials } from './check-credentials.js';
import { checkFleetTargets } from './check-fleet-targets.js';
import { checkScheduleSoon } from './check-schedule-soon.js';
import { checkSlackChatOps } from './check-slack-chatops.js';
import { checkTriggerConfigs } from './check-trigger-configs.js';
import type { Host } from '../hosts/host.js';
import type { CredentialFact, PreflightFacts } from './preflight-problem.js';

const facts = (over: Partial<PreflightFacts> = {}): PreflightFacts => ({
  workflowId: 'wf_1', now: 1_000_000, credentials: [], restartAllowedServices: [], restartCommands: {}, dockerSockets: [], triggers: new Map(),
  routeHolder: () => undefined, nextScheduleTick: () => undefined, ...over,
});
const cred = (id: string, type: string, fields: Record<string, string> = {}): CredentialFact => ({ id, name: id, type, fields });
const host = (name: string, tags: string[]): Host => ({ id: `host_${name}`, name, address: '127.0.0.1', port: 22, tags, ssh_credential_id: 'box', attributes: {}, created_at: 0, updated_at: 0 });

describe('preflight checks', () => {
  it('restart_service: the service must be allowed, and method command needs its argv', () => {
    //  restart(web, command)
    const def = { ...definition([node('restart', 'action', { action_type: 'restart_service', service: '{{ $vars.svc }}', method: 'command' })]), variables: [{ name: 'svc', type: 'string' as const, default: 'web' }] };
    expect(checkAllowLists(def, facts()).problems.map((p) => [p.code, p.setting, p.path])).toEqual([
      ['service_not_allowed', 'ITW_RESTART_ALLOWED_SERVICES', '/nodes/0/config/service'],
      ['restart_command_missing', 'ITW_RESTART_COMMANDS', '/nodes/0/config/method'],
    ]);
    expect(checkAllowLists(def, facts({ restartAllowedServices: ['web'], restartCommands: { web: ['true'] } })).problems).toEqual([]);
  });

  it('a computed service name is not guessed at', () => {
    const def = definition([node('restart', 'action', { action_type: 'restart_service', service: '{{ $trigger.service }}' })]);
    expect(checkAllowLists(def, facts()).problems).toEqual([]);
  });

  it('execute_command over SSH needs a pinned host key in its credential', () => {
    const def = definition([node('ssh', 'action', { action_type: 'execute_command', command: ['uptime'], ssh_credential_id: 'box' })]);
    expect(checkAllowLists(def, facts({ credentials: [cred('box', 'ssh_key', { host: 'h', username: 'u' })] })).problems).toEqual([
      expect.objectContaining({ code: 'ssh_host_key_unpinned', credential_id: 'box', node_id: 'ssh', path: '/nodes/0/config/ssh_credential_id' }),
    ]);
    expect(checkAllowLists(def, facts({ credentials: [cred('box', 'ssh_key', { host_key_fingerprint: 'SHA256:x' })] })).problems).toEqual([]);
  });

  it('docker steps on a unix socket need it in ITW_DOCKER_SOCKETS; a docker credential needs nothing', () => {
    //  logs(default socket)   restart(/run/docker.sock)   restart(credential)
    const def = definition([
      node('logs', 'action', { action_type: 'docker_logs', container: 'web' }),
      node('restart', 'action', { action_type: 'docker_restart', container: 'web', socket_path: '/run/docker.sock' }),
      node('tcp', 'action', { action_type: 'docker_restart', container: 'web', credential_id: 'dockerd' }),
    ]);
    expect(checkAllowLists(def, facts()).problems.map((p) => [p.code, p.setting, p.path, p.node_id])).toEqual([
      ['docker_socket_not_allowed', 'ITW_DOCKER_SOCKETS', '/nodes/0/config/socket_path', 'logs'],
      ['docker_socket_not_allowed', 'ITW_DOCKER_SOCKETS', '/nodes/1/config/socket_path', 'restart'],
    ]);
    expect(checkAllowLists(def, facts({ dockerSockets: ['/var/run/docker.sock', '/run/./docker.sock'] })).problems).toEqual([]);
  });

  it('credentials: found by id or name, of a type the step takes; disabled steps are not checked', () => {
    const def = definition([
      node('n', 'notification', { channel: 'email', credential_id: 'mail', to: 'a@b', message: 'hi' }),
      node('off', 'database', { credential_id: 'nope', sql: 'select 1' }),
    ]);
    const disabled = { ...def, nodes: [def.nodes[0]!, { ...def.nodes[1]!, disabled: true }] };
    expect(checkCredentials(disabled, facts({ credentials: [{ ...cred('cred_1', 'smtp'), name: 'mail' }] })).problems).toEqual([]);
    expect(checkCredentials(disabled, facts({ credentials: [cred('mail', 'slack')] })).problems).toEqual([
      expect.objectContaining({ code: 'credential_type_mismatch', credential_type: 'smtp' }),
    ]);
  });

  it('credentials of the paging, chat and ticket actions (16B) must be of their vendor type', () => {
    const def = definition([
      node('pd', 'action', { action_type: 'pagerduty_event', credential_id: 'pd', summary: 's', source: 's', severity: 'info' }),
      node('tg', 'action', { action_type: 'send_telegram', credential_id: 'chat', chat_id: 1, text: 'x' }),
      node('upd', 'action', { action_type: 'update_ticket', system: 'jira', credential_id: 'tickets', ticket: 'OPS-1', status: 'Done' }),
    ]);
    const right = [cred('pd', 'pagerduty'), cred('chat', 'telegram'), cred('tickets', 'jira')];
    expect(checkCredentials(def, facts({ credentials: right })).problems).toEqual([]);
    const wrong = [cred('pd', 'opsgenie'), cred('chat', 'slack'), cred('tickets', 'github')];
    expect(checkCredentials(def, facts({ credentials: wrong })).problems.map((p) => [p.node_id, p.code])).toEqual([
      ['pd', 'credential_type_mismatch'], ['tg', 'credential_type_mismatch'], ['upd', 'credential_type_mismatch'],
    ]);
  });

  it('trigger configs: a wrong enum names the field and its values; check() lines keep their path', () => {
    const schema = Type.Object({ mode: Type.Union([Type.Literal('a'), Type.Literal('b')]), n: Type.Optional(Type.Number()) });
    const rules = { configSchema: schema, check: (c: Record<string, unknown>) => (c['n'] === 0 ? ['/n: must not be 0'] : []) };
    const triggers = new Map([['webhook', rules]]);
    const bad = definition([node('t', 'trigger', { trigger_type: 'webhook', mode: 'c' })]);
    expect(checkTriggerConfigs(bad, facts({ triggers })).problems).toEqual([
      { code: 'trigger_config_invalid', message: 'mode must be one of "a", "b"', path: '/nodes/0/config/mode', node_id: 't' },
    ]);
    const zero = definition([node('t', 'trigger', { trigger_type: 'webhook', mode: 'a', n: 0 })]);
    expect(checkTriggerConfigs(zero, facts({ triggers })).problems).toEqual([
      { code: 'trigger_config_invalid', message: 'n must not be 0', path: '/nodes/0/config/n', node_id: 't' },
    ]);
    const unknown = definition([node('t', 'trigger', { trigger_type: 'email' })]);
    expect(checkTriggerConfigs(unknown, facts({ triggers })).problems).toEqual([expect.objectContaining({ code: 'trigger_type_unavailable' })]);
  });

  it('a schedule within 60 s is a warning, later is nothing', () => {
    const def = definition([node('s', 'trigger', { trigger_type: 'schedule', interval_seconds: 30 })]);
    expect(checkScheduleSoon(def, facts({ nextScheduleTick: (_c, from) => from + 30_000 })).warnings).toEqual([expect.objectContaining({ code: 'schedule_fires_soon', node_id: 's' })]);
    expect(checkScheduleSoon(def, facts({ nextScheduleTick: (_c, from) => from + 61_000 })).warnings).toEqual([]);
  });

  it('Slack parts on a server without a Slack app are a warning each, nothing with one', () => {
    const def = definition([
      node('slash', 'trigger', { trigger_type: 'slack_command', name: 'go' }),
      node('ask', 'approval', { message: 'ok?', slack_channel: '#ops' }),
      node('plain', 'approval', { message: 'ok?' }),
    ]);
    expect(checkSlackChatOps(def, facts({ slackChatOps: false })).warnings.map((w) => [w.code, w.node_id])).toEqual([
      ['slack_chatops_not_configured', 'slash'], ['slack_chatops_not_configured', 'ask'],
    ]);
    expect(checkSlackChatOps(def, facts({ slackChatOps: true })).warnings).toEqual([]);
  });

  it('fleet targets: an unknown host name and tags that select nobody are warnings; computed targets are not guessed at', () => {
    const inventory = [host('web1', ['web', 'prod']), host('web2', ['web', 'staging'])];
    const step = (targets: unknown) => node('fleet', 'action', { action_type: 'execute_command', command: ['uptime'], targets });
    const def = { ...definition([step({ names: ['web1', '{{ $vars.canary }}', 'db9'] })]), variables: [{ name: 'canary', type: 'string' as const, default: 'web2' }] };
    expect(checkFleetTargets(def, facts({ hosts: inventory })).warnings).toEqual([
      expect.objectContaining({ code: 'fleet_host_unknown', node_id: 'fleet', path: '/nodes/0/config/targets/names', message: expect.stringContaining('db9') }),
    ]);
    expect(checkFleetTargets(definition([step({ tags: ['web', 'prod'] })]), facts({ hosts: inventory }))).toEqual({ problems: [], warnings: [] });
    expect(checkFleetTargets(definition([step({ tags: ['db'] })]), facts({ hosts: inventory })).warnings).toEqual([
      expect.objectContaining({ code: 'fleet_targets_match_no_host', path: '/nodes/0/config/targets', message: expect.stringContaining('tags: db') }),
    ]);
    // Everything excluded selects nobody too.
    expect(checkFleetTargets(definition([step({ tags: ['web'], exclude_names: ['web1', 'web2'] })]), facts({ hosts: inventory })).warnings).toHaveLength(1);
    expect(checkFleetTargets(definition([step({ names: ['{{ $trigger.host }}'] })]), facts({ hosts: inventory }))).toEqual({ problems: [], warnings: [] });
    expect(checkFleetTargets(definition([{ ...step({ names: ['db9'] }), disabled: true }]), facts({ hosts: inventory })).warnings).toEqual([]);
  });
});
