import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { isRole, ROLES } from '../model/roles.js';
import { openStore } from '../store/connect.js';
import { createRepositories, type Repositories } from '../store/repositories.js';
import type { CliIo } from './io.js';
import { APIKEY_HELP } from './help-texts.js';

/** Opens the store alone (no engine: a CLI next to a running server must not take its leases). */
export async function withRepositories<T>(io: CliIo, dataDir: string | undefined, fn: (repos: Repositories) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env, dataDir !== undefined ? { dataDir } : {});
  const store = await openStore({
    dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
  });
  try {
    return await fn(createRepositories(store));
  } finally {
    await store.close();
  }
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

export async function apikeyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [sub, ...rest] = positionals;
  if (values.help) return io.out(APIKEY_HELP), 0;
  switch (sub) {
    case 'create': {
      if (!isRole(values.role)) return io.err(`itw apikey create: --role must be one of ${ROLES.join(', ')}`), 2;
      const role = values.role;
      const { key, record } = await withRepositories(io, values['data-dir'], (r) => r.apiKeys.create({ name: values.name ?? `${role} key`, role, createdBy: 'itw apikey' }));
      io.err(`created ${record.id} (${record.role}); the key is shown this once:`);
      io.out(key);
      return 0;
    }
    case 'list': {
      const keys = await withRepositories(io, values['data-dir'], (r) => r.apiKeys.list());
      for (const k of keys) io.out([k.id, k.role.padEnd(8), `${k.prefix}…`, k.revoked_at === null ? 'active ' : 'revoked', iso(k.last_used_at), k.name].join('  '));
      return 0;
    }
    case 'revoke': {
      const id = rest[0];
      if (!id) return io.err(APIKEY_HELP), 2;
      const k = await withRepositories(io, values['data-dir'], (r) => r.apiKeys.revoke(id));
      io.out(`revoked ${k.id} (${k.name})`);
      return 0;
    }
    default:
      io.err(APIKEY_HELP);
      return 2;
  }
}
