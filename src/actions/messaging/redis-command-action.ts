import { type Static, Type } from '@sinclair/typebox';
import type * as IORedis from 'ioredis';
import { lazyModule } from '../lazy-module.js';

const ioredis = lazyModule<typeof IORedis>('ioredis');
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { credentialError } from '../communication/credential-fields.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { defineAction } from '../define-action.js';
import { isNetworkError, resolveBroker, where, type BrokerTarget, type Schemes, tlsServername } from './broker-target.js';
import { REDIS_ALLOWED_COMMANDS, redisCommandRefusal } from './redis-commands.js';

const ID = 'redis_command';
const SCHEMES: Schemes = { redis: { port: 6379, tls: false }, rediss: { port: 6380, tls: true } };
const CONNECT_TIMEOUT_MS = 10_000;
const COMMAND_TIMEOUT_MS = 30_000;

const RedisCommandParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type redis: {url (database number as path), username?, password?}' }),
    command: Type.String({
      pattern: '^[A-Za-z]+$',
      description: `Command name, written as it is (never a template: it is code). One of: ${REDIS_ALLOWED_COMMANDS.join(', ')}`,
    }),
    args: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), {
      maxItems: 10_000,
      description: 'Arguments (keys and values), each sent as one argument however it reads: templates are fine here',
    })),
  },
  { additionalProperties: false },
);

const RedisCommandOutput = Type.Object({
  command: Type.String(),
  result: Type.Unknown({ description: "Redis's reply: a string, number, null or array (HGETALL: field, value, field, value…)" }),
});

type Params = Static<typeof RedisCommandParams>;

function dbOf(t: BrokerTarget): number {
  const path = t.url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  if (!/^\d{1,2}$/.test(path)) throw credentialError(t.credential, 'field url must name the database as a number (redis://host:6379/0)');
  return Number(path);
}

function redisError(t: BrokerTarget, command: string, err: unknown): ItwError {
  if (err instanceof ItwError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ioredis().ReplyError || /^[A-Z]+ /.test(message)) {
    if (/^(WRONGPASS|NOAUTH)/.test(message)) return new NonRetryableError('redis_auth_failed', `Redis at ${where(t)} refused the credentials: ${message}`);
    if (/^NOPERM/.test(message)) return new NonRetryableError('redis_permission_denied', `Redis at ${where(t)} refused ${command}: ${message}`);
    if (/^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN)/.test(message)) return new RetryableError('redis_busy', `Redis at ${where(t)}: ${message}`);
    if (/^READONLY/.test(message)) return new RetryableError('redis_readonly', `Redis at ${where(t)} is a read-only replica: ${message}`);
    return new NonRetryableError('redis_error', `Redis at ${where(t)} answered ${command} with: ${message}`);
  }
  if (isNetworkError(err) || /connect|closed|timeout|Stream isn't writeable/i.test(message)) return new RetryableError('redis_unavailable', `Redis at ${where(t)}: ${message}`);
  return new NonRetryableError('redis_error', `Redis at ${where(t)}: ${message}`);
}

export const redisCommandAction = defineAction({
  id: ID,
  category: 'messaging',
  name: 'Run Redis Command',
  description: 'Runs one Redis data command (GET, SET, HSET, LPUSH, XADD, PUBLISH, EXPIRE…) and returns its reply. Administrative, scripting, blocking and keyspace-wide commands (FLUSHALL, CONFIG, EVAL, KEYS…) are refused.',
  params: RedisCommandParams,
  codeParams: { command: 'write the command name as it is (GET, SET…) and pass keys and values in `args`, where each entry is one argument' },
  output: RedisCommandOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const refusal = redisCommandRefusal(p.command);
    if (refusal !== undefined) throw invalidParam(ID, '/command', refusal);
    const command = p.command.toUpperCase();
    const t = await resolveBroker(ctx, p.credential_id, 'redis', SCHEMES);
    const db = dbOf(t);
    return withSecretsMasked(t.secrets, async () => {
      const client = new (ioredis().Redis)({
        host: t.address,
        port: t.port,
        db,
        ...(t.username !== undefined ? { username: t.username } : {}),
        ...(t.password !== undefined ? { password: t.password } : {}),
        ...(t.tls ? { tls: tlsServername(t) } : {}),
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        commandTimeout: COMMAND_TIMEOUT_MS,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        // The INFO probe after connecting is refused to users whose ACL only allows data commands.
        enableReadyCheck: false,
      });
      // A refused AUTH reaches the 'error' event; connect() then only says the connection closed.
      let lastError: unknown;
      client.on('error', (err) => {
        lastError = err;
      });
      const abort = () => client.disconnect();
      ctx.signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect().catch((err: unknown) => {
          throw lastError instanceof ioredis().ReplyError ? lastError : err;
        });
        const result = await client.call(command, ...(p.args ?? []).map(String));
        ctx.log.log('info', `Redis ${command} with ${p.args?.length ?? 0} argument(s) done`, { server: where(t) });
        return { command, result: result ?? null };
      } catch (err) {
        throw redisError(t, command, err);
      } finally {
        ctx.signal.removeEventListener('abort', abort);
        client.disconnect();
      }
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const refusal = redisCommandRefusal(p.command);
    if (refusal !== undefined) return `refuse: ${refusal}`;
    return `run Redis ${p.command.toUpperCase()} with ${p.args?.length ?? 0} argument(s) (credential ${p.credential_id})`;
  },
});
