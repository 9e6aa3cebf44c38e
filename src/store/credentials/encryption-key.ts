import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from '../private-dir.js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ItwError } from '../../model/errors.js';

/**
 * The vault key lives outside the database: ITW_ENCRYPTION_KEY (32 bytes as base64 or 64 hex chars)
 * when given, else `<dataDir>/encryption.key`, created with mode 0600 on first use. Losing it means
 * losing the stored credentials; the database alone never holds enough to decrypt them.
 */
export function loadEncryptionKey(opts: { fromEnv: string | undefined; dataDir: string }): Buffer {
  if (opts.fromEnv) return parseKey(opts.fromEnv, 'ITW_ENCRYPTION_KEY');
  const file = join(opts.dataDir, 'encryption.key');
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8').trim(), file);
  makePrivateDir(opts.dataDir);
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ItwError('config_invalid', `${where} must be 32 bytes, as base64 or 64 hex characters`);
  return key;
}
