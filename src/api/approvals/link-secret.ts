import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from '../../store/private-dir.js';
import { join } from 'node:path';
import { ItwError } from '../../model/errors.js';

const MIN_SECRET_CHARS = 32;

/**
 * The key that signs approval links: ITW_APPROVAL_LINK_SECRET when set (every server sharing a
 * database must have the same one, or links work only on the server that made them), else
 * `<dataDir>/approval-link.key`, created with mode 0600 on first use. Replacing it voids every link.
 */
export function loadApprovalLinkSecret(opts: { fromEnv: string | undefined; dataDir: string }): Buffer {
  if (opts.fromEnv !== undefined) {
    if (opts.fromEnv.length < MIN_SECRET_CHARS) throw new ItwError('config_invalid', `ITW_APPROVAL_LINK_SECRET must be at least ${MIN_SECRET_CHARS} characters`);
    return Buffer.from(opts.fromEnv, 'utf8');
  }
  const file = join(opts.dataDir, 'approval-link.key');
  try {
    return fromFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  makePrivateDir(opts.dataDir);
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (err) {
    // Another process sharing the data dir created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fromFile(file);
}

function fromFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new ItwError('config_invalid', `${file} must hold at least 32 bytes as base64`);
  return key;
}
