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
  return typeof value === 'string' && value.length > COMPRESS_ABOVE_BYTES ? deflateRawSync(value, deflateOptions(value.length)) : value;
}

/**
 * A window no larger than the text: zlib's defaults (32 KiB window, memLevel 8) allocate and set up
 * ~256 KiB of state per call, which cost more than compressing a 1.3 KB webhook body (27 → 16 µs
 * per call, same output size). Raw inflate with the default window reads every smaller one, so rows
 * written before read back unchanged.
 */
function deflateOptions(length: number): { level: number; windowBits: number; memLevel: number } {
  const windowBits = Math.min(15, Math.max(10, Math.ceil(Math.log2(length))));
  return { level: 1, windowBits, memLevel: windowBits >= 15 ? 8 : Math.max(5, windowBits - 5) };
}

/** The JSON text of a column read back from either dialect. */
export function jsonTextOf(stored: StoredJson): string {
  return typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
}
