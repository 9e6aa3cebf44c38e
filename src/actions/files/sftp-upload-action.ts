import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Static, Type } from '@sinclair/typebox';
import type { SFTPWrapper } from 'ssh2';
import { NonRetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';
import { defineAction } from '../define-action.js';
import { checkLocalPath, checkRemotePath } from './file-paths.js';
import { call, sftpError, withSftp } from './sftp-session.js';

const ID = 'sftp_upload';
const DEFAULT_TIMEOUT_SECONDS = 300;

const SftpUploadParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type ssh_key (host, port, username, private_key, pinned host key)' }),
    remote_path: Type.String({ minLength: 1, maxLength: 4096, description: 'File to write on the server: absolute, or relative to the login directory; no .. segments' }),
    content: Type.Optional(Type.String({ description: 'Text to write (UTF-8), e.g. a previous step\'s output' })),
    content_base64: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'Binary content, base64 encoded (sftp_download\'s base64 output fits here)' })),
    local_path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'A local file to send instead: absolute, under a directory of ITW_SANDBOX_PATHS, never in the data dir' })),
    mode: Type.Optional(Type.String({ pattern: '^0?[0-7]{3}$', description: 'Permissions of the file, octal (0640); default: the server\'s umask' })),
    overwrite: Type.Optional(Type.Boolean({ description: 'Replace an existing file (default true); false fails with sftp_exists' })),
    create_dirs: Type.Optional(Type.Boolean({ description: 'Create missing parent directories (default false)' })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Whole transfer (default 300)' })),
  },
  { additionalProperties: false },
);

const SftpUploadOutput = Type.Object({
  remote_path: Type.String(),
  bytes: Type.Integer(),
  sha256: Type.String({ description: 'Of the bytes sent' }),
});

type Params = Static<typeof SftpUploadParams>;

async function exists(sftp: SFTPWrapper, path: string): Promise<boolean> {
  try {
    await call<unknown>((cb) => sftp.stat(path, cb));
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 2) return false;
    throw sftpError(err, 'check', path);
  }
}

async function mkdirs(sftp: SFTPWrapper, dir: string): Promise<void> {
  if (dir === '.' || dir === '/' || dir === '') return;
  if (await exists(sftp, dir)) return;
  await mkdirs(sftp, posix.dirname(dir));
  await call<void>((cb) => sftp.mkdir(dir, (err) => cb(err, undefined))).catch(async (err: unknown) => {
    // Created by someone else in between.
    if (!(await exists(sftp, dir))) throw sftpError(err, 'create directory', dir);
  });
}

/** Sends `source` to `partial` and returns its size and SHA-256. */
async function send(sftp: SFTPWrapper, source: NodeJS.ReadableStream, partial: string, mode: number | undefined): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(source, count, sftp.createWriteStream(partial, { flags: 'w', ...(mode !== undefined ? { mode } : {}) }));
  return { bytes, sha256: hash.digest('hex') };
}

export const sftpUploadAction = defineAction({
  id: ID,
  category: 'files',
  name: 'Upload File (SFTP)',
  description: 'Writes a file on a server over SFTP, from text, base64 content or a local file under ITW_SANDBOX_PATHS. It is written under a temporary name and renamed into place, so readers never see half a file. The server\'s host key must be pinned in the ssh_key credential.',
  params: SftpUploadParams,
  output: SftpUploadOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const remote = checkRemotePath(ID, p.remote_path);
    const given = [p.content, p.content_base64, p.local_path].filter((v) => v !== undefined).length;
    if (given !== 1) throw invalidParam(ID, '/content', 'give exactly one of content, content_base64 or local_path');
    const local = p.local_path !== undefined ? checkLocalPath(ID, ctx.services.sandbox, p.local_path) : undefined;
    if (local !== undefined && !(await stat(local).catch(() => undefined))?.isFile()) throw invalidParam(ID, '/local_path', `${p.local_path} is not a file`);
    const mode = p.mode !== undefined ? parseInt(p.mode, 8) : undefined;
    return withSftp(ctx, p.credential_id, (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000, async (sftp, target) => {
      if (p.create_dirs) await mkdirs(sftp, posix.dirname(remote));
      if (p.overwrite === false && (await exists(sftp, remote))) throw new NonRetryableError('sftp_exists', `${remote} exists on ${target.host} and overwrite is false`, { details: { path: remote } });
      const partial = posix.join(posix.dirname(remote), `.${posix.basename(remote)}.itw-${randomBytes(4).toString('hex')}.partial`);
      const source = local !== undefined
        ? createReadStream(local)
        : Readable.from([p.content !== undefined ? Buffer.from(p.content, 'utf8') : Buffer.from(p.content_base64!, 'base64')]);
      let sent: { bytes: number; sha256: string };
      try {
        sent = await send(sftp, source, partial, mode);
        // posix-rename@openssh.com replaces the target in one step; plain SFTP v3 rename refuses an existing target.
        await call<void>((cb) => sftp.ext_openssh_rename(partial, remote, (err) => cb(err, undefined))).catch(async () => {
          if (p.overwrite !== false && (await exists(sftp, remote))) await call<void>((cb) => sftp.unlink(remote, (err) => cb(err, undefined)));
          await call<void>((cb) => sftp.rename(partial, remote, (err) => cb(err, undefined)));
        });
      } catch (err) {
        await call<void>((cb) => sftp.unlink(partial, () => cb(null, undefined)));
        throw sftpError(err, 'write', remote);
      }
      ctx.log.log('info', `uploaded ${sent.bytes} bytes to ${target.host}:${remote}`, { host: target.host, path: remote });
      return { remote_path: remote, bytes: sent.bytes, sha256: sent.sha256 };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    const what = p.local_path !== undefined ? `local file ${p.local_path}` : p.content !== undefined ? `${Buffer.byteLength(p.content)} bytes of text` : `${Buffer.from(p.content_base64 ?? '', 'base64').length} bytes`;
    return `upload ${what} to ${p.remote_path} over SFTP with credential ${p.credential_id}${p.overwrite === false ? ' (no overwrite)' : ''}`;
  },
});
