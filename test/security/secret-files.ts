import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file of the data dir (the SQLite database, its WAL and journal included), as bytes. */
export function dataDirBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) parts.push(dataDirBytes(path));
    else if (st.isFile()) parts.push(readFileSync(path));
  }
  return Buffer.concat(parts);
}

/** Whether `secret` is anywhere in the bytes, as UTF-8 or UTF-16 text. */
export function holds(bytes: Buffer, secret: string): boolean {
  return bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le'));
}
