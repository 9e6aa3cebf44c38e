import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Static, Type } from '@sinclair/typebox';
import type { Stats } from 'ssh2';
import { NonRetryableError } from '../../model/errors.js';
import { defineAction } from '../define-action.js';
import { checkLocalPath, checkRemotePath } from './file-paths.js';
import { call, sftpError, withSftp } from './sftp-session.js';

const ID = 'sftp_download';
const DEFAULT_TIMEOUT_SECONDS = 300;
const MiB = 1024 * 1024;
/** Step outputs are stored with the execution: a file read into one stays small. */
const MAX_OUTPUT_BYTES = 10 * MiB;
const DEFAULT_OUTPUT_BYTES = 1 * MiB;
const MAX_FILE_BYTES = 4096 * MiB;
const DEFAULT_FILE_BYTES = 100 * MiB;

const SftpDownloadParams = Type.Object(
  {
    credential_id: Type.String({ minLength: 1, description: 'Credential of type ssh_key (host, port, username, private_key, pinned host key)' }),
    remote_path: Type.String({ minLength: 1, maxLength: 4096, description: 'File to read on the server: absolute, or relative to the login directory; no .. segments' }),
    encoding: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('utf8'), Type.Literal('base64')], {
      description: 'Into the step output as: auto (default: text when it is valid UTF-8 without NUL bytes, else base64), utf8 or base64',
    })),
    local_path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'Save to this local file instead of the step output: absolute, under a directory of ITW_SANDBOX_PATHS, never in the data dir' })),
    max_bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FILE_BYTES, description: 'Refuse a larger file (default 1 MiB into the output, at most 10 MiB; 100 MiB to a local file)' })),
    timeout_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Whole transfer (default 300)' })),
  },
  { additionalProperties: false },
);

const SftpDownloadOutput = Type.Object({
  remote_path: Type.String(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  encoding: Type.Optional(Type.String({ description: 'utf8 or base64: how content is written' })),
  content: Type.Optional(Type.String({ description: 'The file (without local_path)' })),
  local_path: Type.Optional(Type.String({ description: 'Where it was saved (with local_path)' })),
});

type Params = Static<typeof SftpDownloadParams>;

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}

/** Counts, hashes and caps what flows through. */
function meter(limit: number, path: string) {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > limit) return cb(tooLarge(path, limit));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  return { stream, done: () => ({ bytes, sha256: hash.digest('hex') }) };
}

function tooLarge(path: string, limit: number): NonRetryableError {
  return new NonRetryableError('sftp_too_large', `${path} is larger than max_bytes (${limit} bytes)`, { details: { path, max_bytes: limit } });
}

export const sftpDownloadAction = defineAction({
  id: ID,
  category: 'files',
  name: 'Download File (SFTP)',
  description: 'Reads a file from a server over SFTP into the step output (text, or base64 for binary; 1 MiB by default, 10 MiB at most) or into a local file under ITW_SANDBOX_PATHS. The server\'s host key must be pinned in the ssh_key credential.',
  params: SftpDownloadParams,
  output: SftpDownloadOutput,
  async run(ctx) {
    const p: Params = ctx.params;
    const remote = checkRemotePath(ID, p.remote_path);
    const local = p.local_path !== undefined ? checkLocalPath(ID, ctx.services.sandbox, p.local_path) : undefined;
    const limit = local !== undefined ? (p.max_bytes ?? DEFAULT_FILE_BYTES) : Math.min(p.max_bytes ?? DEFAULT_OUTPUT_BYTES, MAX_OUTPUT_BYTES);
    return withSftp(ctx, p.credential_id, (p.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000, async (sftp, target) => {
      const st = await call<Stats>((cb) => sftp.stat(remote, cb)).catch((err: unknown) => {
        throw sftpError(err, 'read', remote);
      });
      if (!st.isFile()) throw new NonRetryableError('sftp_not_a_file', `${remote} on ${target.host} is not a regular file`, { details: { path: remote } });
      if (st.size > limit) throw tooLarge(remote, limit);
      const m = meter(limit, remote);
      if (local !== undefined) {
        await mkdir(dirname(local), { recursive: true });
        const partial = `${local}.${randomBytes(4).toString('hex')}.partial`;
        try {
          await pipeline(sftp.createReadStream(remote), m.stream, createWriteStream(partial, { mode: 0o600 }));
          await rename(partial, local);
        } catch (err) {
          await rm(partial, { force: true });
          throw sftpError(err, 'read', remote);
        }
        const { bytes, sha256 } = m.done();
        ctx.log.log('info', `downloaded ${bytes} bytes from ${target.host}:${remote} to ${local}`, { host: target.host, path: remote });
        return { remote_path: remote, bytes, sha256, local_path: local };
      }
      const chunks: Buffer[] = [];
      try {
        await pipeline(sftp.createReadStream(remote), m.stream, async (source: AsyncIterable<Buffer>) => {
          for await (const c of source) chunks.push(c);
        });
      } catch (err) {
        throw sftpError(err, 'read', remote);
      }
      const data = Buffer.concat(chunks);
      const { bytes, sha256 } = m.done();
      const encoding = p.encoding === 'utf8' || p.encoding === 'base64' ? p.encoding : isText(data) ? 'utf8' : 'base64';
      ctx.log.log('info', `downloaded ${bytes} bytes from ${target.host}:${remote}`, { host: target.host, path: remote });
      return { remote_path: remote, bytes, sha256, encoding, content: data.toString(encoding) };
    });
  },
  plan(ctx) {
    const p = ctx.params;
    return `download ${p.remote_path} over SFTP with credential ${p.credential_id} ${p.local_path !== undefined ? `to local file ${p.local_path}` : 'into the step output'}`;
  },
});
