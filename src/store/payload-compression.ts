import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * SQLite stores payload JSON above this size deflated, as a BLOB in the same column (SQLite columns
 * take any type; readers tell them apart by type). Why: a row of ~1.7 KB leaves two per 4 KiB page
 * with the rest wasted; the 1.2 KB webhook body deflates to about a third. Level 1: on this
 * box ~20 µs per 1.5 KB, the cheapest level that gets most of the gain. PostgreSQL needs none of
 * this: JSONB values are compressed by TOAST (above ~2 KB), and a JSONB column cannot hold bytes.
 */
export const COMPRESS_ABOVE_BYTES = 1024;

export type StoredJson = string | Buffer;

export function compressJson<T>(value: T): T | Buffer {
  return typeof value === 'string' && value.length > COMPRESS_ABOVE_BYTES ? deflateRawSync(value, { level: 1 }) : value;
}

/** The JSON text of a column read back from either dialect. */
export function jsonTextOf(stored: StoredJson): string {
  return typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
}
