import { Value } from '@sinclair/typebox/value';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerCredential, guardedServices, uniqueName } from '../../../test/support/brokers.js';
import { validationCatalog } from '../../app.js';
import { validateDefinition } from '../../model/validate-definition.js';
import { testContext } from '../communication/test-context.js';
import { redisCommandAction } from './redis-command-action.js';
import { REDIS_ALLOWED_COMMANDS } from './redis-commands.js';

// The Redis server of this machine; a throw-away ACL user for the refusal tests.
const URL = 'redis://127.0.0.1:6379/0';
const USER = uniqueName('itw-test-user');
const PASSWORD = 'redis-acl-secret-5521';
const PREFIX = uniqueName('itw-test');
const creds = [
  brokerCredential('redis', 'redis', URL),
  brokerCredential('db3', 'redis', 'redis://127.0.0.1:6379/3'),
  brokerCredential('acl', 'redis', URL, { username: USER, password: PASSWORD }),
  brokerCredential('wrong-pass', 'redis', URL, { username: USER, password: 'not-it-8812736' }),
  brokerCredential('bound-elsewhere', 'redis', URL, {}, ['cache.example.com']),
  brokerCredential('closed', 'redis', 'redis://127.0.0.1:1'),
];

type Params = Parameters<typeof redisCommandAction.run>[0]['params'];

let admin: Redis;

beforeAll(async () => {
  admin = new Redis({ host: '127.0.0.1', port: 6379 });
  await admin.call('ACL', 'SETUSER', USER, 'on', `>${PASSWORD}`, `~${PREFIX}:*`, '+get', '+set', '+ping');
});
afterAll(async () => {
  await admin.call('ACL', 'DELUSER', USER);
  const keys = await admin.keys(`${PREFIX}*`);
  if (keys.length > 0) await admin.del(...keys);
  const db3 = await admin.select(3).then(() => admin.keys(`${PREFIX}*`));
  if (db3.length > 0) await admin.del(...db3);
  admin.disconnect();
});

function run(params: Params, services?: ReturnType<typeof guardedServices>['services']) {
  const { ctx, lines } = testContext(params, creds, services);
  return { lines, result: redisCommandAction.run(ctx) };
}

describe('redis_command against Redis', () => {
  it('sets a key with an expiry and reads it back, in the credential\'s database', async () => {
    const key = `${PREFIX}:incident`;
    await expect(run({ credential_id: 'redis', command: 'set', args: [key, 'open', 'EX', 600] }).result).resolves.toEqual({ command: 'SET', result: 'OK' });
    await expect(run({ credential_id: 'redis', command: 'GET', args: [key] }).result).resolves.toEqual({ command: 'GET', result: 'open' });
    expect(await admin.ttl(key)).toBeGreaterThan(500);
    await run({ credential_id: 'db3', command: 'SET', args: [`${PREFIX}:db3`, 'x'] }).result;
    expect(await admin.exists(`${PREFIX}:db3`)).toBe(0);
  });

  it('returns numbers, arrays and null as Redis answers them', async () => {
    const list = `${PREFIX}:queue`;
    await expect(run({ credential_id: 'redis', command: 'RPUSH', args: [list, 'a', 'b', 3] }).result).resolves.toEqual({ command: 'RPUSH', result: 3 });
    await expect(run({ credential_id: 'redis', command: 'LRANGE', args: [list, 0, -1] }).result).resolves.toEqual({ command: 'LRANGE', result: ['a', 'b', '3'] });
    await expect(run({ credential_id: 'redis', command: 'GET', args: [`${PREFIX}:missing`] }).result).resolves.toEqual({ command: 'GET', result: null });
  });

  it('passes a hostile value as one argument: it is stored, not run', async () => {
    const key = `${PREFIX}:hostile`;
    const hostile = 'x\r\nFLUSHALL\r\n';
    await run({ credential_id: 'redis', command: 'SET', args: [key, hostile] }).result;
    expect(await admin.get(key)).toBe(hostile);
  });

  it('maps Redis errors: WRONGTYPE not retryable, ACL refusals named, wrong password without the password', async () => {
    const key = `${PREFIX}:typed`;
    await admin.set(key, 'string');
    await expect(run({ credential_id: 'redis', command: 'LPUSH', args: [key, 'x'] }).result).rejects.toMatchObject({ code: 'redis_error', retryable: false, message: expect.stringContaining('WRONGTYPE') });
    await expect(run({ credential_id: 'acl', command: 'SET', args: [`${PREFIX}:acl`, 'ok'] }).result).resolves.toMatchObject({ result: 'OK' });
    await expect(run({ credential_id: 'acl', command: 'GET', args: ['elsewhere'] }).result).rejects.toMatchObject({ code: 'redis_permission_denied' });
    const { result, lines } = run({ credential_id: 'wrong-pass', command: 'GET', args: [`${PREFIX}:acl`] });
    const err: unknown = await result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'redis_auth_failed', retryable: false });
    expect(JSON.stringify({ m: (err as Error).message, lines })).not.toContain('not-it-8812736');
  });

  it('reports a closed port as retryable', async () => {
    await expect(run({ credential_id: 'closed', command: 'PING' }).result).rejects.toMatchObject({ code: 'redis_unavailable', retryable: true });
  });
});

describe('redis_command refusals', () => {
  it.each(['FLUSHALL', 'flushdb', 'CONFIG', 'SHUTDOWN', 'DEBUG', 'MODULE', 'SCRIPT', 'EVAL', 'EVALSHA', 'FUNCTION', 'FCALL', 'KEYS', 'MONITOR', 'SLAVEOF', 'REPLICAOF', 'ACL', 'MIGRATE', 'SELECT', 'BLPOP', 'SUBSCRIBE', 'CLIENT'])(
    'refuses %s before connecting, naming /command',
    async (command) => {
      const { services, refusals } = guardedServices();
      await expect(run({ credential_id: 'redis', command, args: [] }, services).result).rejects.toMatchObject({
        code: 'invalid_params', details: { path: '/command' }, message: expect.stringContaining(`${command.toUpperCase()} is not one of the data commands`),
      });
      expect(refusals).toEqual([]);
      expect(REDIS_ALLOWED_COMMANDS).not.toContain(command.toUpperCase());
    },
  );

  it('still has the data in place after a refused FLUSHALL', async () => {
    const key = `${PREFIX}:survivor`;
    await admin.set(key, 'here');
    await run({ credential_id: 'redis', command: 'FLUSHALL' }).result.catch(() => undefined);
    expect(await admin.get(key)).toBe('here');
  });

  it('refuses a template in the command when the workflow is validated (it is code)', () => {
    const doc = {
      name: 'redis', nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'step', node_type: 'action', config: { action_type: 'redis_command', credential_id: 'redis', command: '{{ $trigger.cmd }}', args: ['{{ $trigger.key }}'] } },
      ], edges: [{ source_node_id: 'start', target_node_id: 'step' }],
    };
    const problems = validateDefinition(doc, validationCatalog()).problems;
    expect(problems).toEqual([expect.objectContaining({ code: 'template_in_code', path: '/nodes/1/config/command' })]);
  });

  it('refuses loopback when the egress policy blocks it, and a credential bound to another host', async () => {
    const { services, refusals } = guardedServices();
    await expect(run({ credential_id: 'redis', command: 'PING' }, services).result).rejects.toMatchObject({ code: 'egress_denied' });
    expect(refusals).toMatchObject([{ code: 'egress_denied', protocol: 'redis' }]);
    await expect(run({ credential_id: 'bound-elsewhere', command: 'PING' }).result).rejects.toMatchObject({ code: 'credential_host_denied' });
  });

  it.each([
    [{ command: 'GET key' }, '/command'],
    [{ command: '' }, '/command'],
    [{ args: [{ nested: 1 }] }, '/args/0'],
    [{ cmd: 'GET' }, '/cmd'],
  ])('rejects %j at %s', (params, path) => {
    const errors = [...Value.Errors(redisCommandAction.params, { credential_id: 'redis', command: 'GET', ...params })];
    expect(errors.map((e) => e.path)).toContain(path);
  });

  it('plans the command and refuses a disallowed one in the plan too', () => {
    const plan = (params: Params) => redisCommandAction.plan?.(testContext(params).ctx);
    expect(plan({ credential_id: 'redis', command: 'hset', args: ['k', 'f', 'v'] })).toBe('run Redis HSET with 3 argument(s) (credential redis)');
    expect(plan({ credential_id: 'redis', command: 'FLUSHALL' })).toMatch(/^refuse: FLUSHALL is not one of/);
  });
});
