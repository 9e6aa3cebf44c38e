import { chmod, writeFile } from 'node:fs/promises';
import { makePrivateDir } from '../../store/private-dir.js';
import { join } from 'node:path';
import type { Repositories } from '../../store/repositories.js';

/**
 * On a database with no users and no API keys, creates an admin key and writes it to
 * `<dataDir>/admin-api-key` (mode 0600). Returns the file's path, or undefined when nothing was done.
 * The key itself is never printed: terminals and CI logs are kept.
 */
export async function bootstrapAdminKey(repos: Repositories, dataDir: string): Promise<string | undefined> {
  if ((await repos.apiKeys.count()) > 0 || (await repos.users.count()) > 0) return undefined;
  const { key } = await repos.apiKeys.create({ name: 'bootstrap admin', role: 'admin', createdBy: 'itw serve' });
  makePrivateDir(dataDir);
  const file = join(dataDir, 'admin-api-key');
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
