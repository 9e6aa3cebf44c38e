import { type Static, Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { invalidParam } from '../communication/invalid-param.js';
import { withSecretsMasked } from '../communication/secrets.js';
import { outbound } from '../http/http-client.js';
import { SAAS_RETRY } from '../vendor-retry.js';
import { readKvSecret, vaultTarget } from './vault-client.js';

const ID = 'vault_read_secret';
// A path segment: no empty segments, no `.`/`..` (Vault would clean them to another path).
const KV_PATH = '^(?!/)(?!.*//)(?!(?:.*/)?\\.{1,2}(?:/|$))[^?#\\s]+(?<!/)$';

const Params = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type vault: {address, token, namespace?}' }),
    mount: Type.Optional(Type.String({ default: 'secret', pattern: KV_PATH, maxLength: 256, description: 'Path the KV version 2 engine is mounted at' })),
    path: Type.String({ pattern: KV_PATH, maxLength: 1024, description: 'Secret path inside the mount, e.g. apps/payments/db' }),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'Version to read; the latest when left out' })),
    keys: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Only these keys of the secret (each must exist)' })),
  },
  { additionalProperties: false },
);

const Output = Type.Object({
  data: Type.Record(Type.String(), Type.String(), {
    description: 'The secret\'s keys and values (non-string values as JSON text). Every value is redacted from the execution record, logs and live events',
  }),
  version: Type.Optional(Type.Integer({ description: 'Version that was read' })),
  created_time: Type.Optional(Type.String({ description: 'When this version was written (RFC 3339)' })),
});

type Out = Static<typeof Output>;

/** Strings of a value, nested ones included: all of them are the secret's. */
function leaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
}

export const vaultReadSecretAction = defineAction({
  id: ID,
  retry: SAAS_RETRY,
  category: 'secrets',
  name: 'Read Vault Secret',
  description:
    'Reads a secret from a HashiCorp Vault KV version 2 engine (GET /v1/{mount}/data/{path}). The values are ' +
    'given to the next steps and redacted from everything the run stores or shows.',
  params: Params,
  output: Output,
  async run(ctx) {
    const p = ctx.params;
    const target = vaultTarget(await ctx.credentials.get(p.credential_id, ['vault']));
    return withSecretsMasked([target.token], async () => {
      const secret = await readKvSecret(target, p.mount ?? 'secret', p.path, p.version, outbound(ctx));
      const wanted = p.keys ?? Object.keys(secret.data);
      const missing = wanted.filter((k) => !Object.hasOwn(secret.data, k));
      if (missing.length > 0) throw invalidParam(ID, '/keys', `the secret has no key ${missing.join(', ')}`);
      const data: Record<string, string> = {};
      for (const k of wanted) {
        const v = secret.data[k];
        data[k] = typeof v === 'string' ? v : JSON.stringify(v);
      }
      // Names only: the values never reach a log line.
      ctx.log.log('info', `read ${wanted.length} key(s) of ${p.mount ?? 'secret'}/${p.path}`, { keys: wanted, version: secret.version ?? null });
      const out: Out = { data };
      if (secret.version !== undefined) out.version = secret.version;
      if (secret.created_time !== undefined) out.created_time = secret.created_time;
      return out;
    });
  },
  secretOutput(output) {
    const values: string[] = [];
    for (const v of Object.values(output.data)) {
      values.push(v);
      // A JSON value's own strings, so a later step that parses it does not show them either.
      if (v.startsWith('{') || v.startsWith('[')) {
        try {
          leaves(JSON.parse(v), values);
        } catch {
          // not JSON after all: the whole string is registered already
        }
      }
    }
    return values;
  },
  plan(ctx) {
    const p = ctx.params;
    return `read Vault secret ${p.mount ?? 'secret'}/${p.path}${p.version === undefined ? '' : ` version ${p.version}`}${p.keys ? ` (keys ${p.keys.join(', ')})` : ''}`;
  },
});
