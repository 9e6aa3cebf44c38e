import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * SQLite stores payload JSON above this size deflated, as a BLOB in the same column (SQLite columns
 * take any type; readers tell them apart by type). The same threshold as PostgreSQL's TOAST (~2 KB),
 * and for the same reason: below it, compression saves little space per row and costs more than
 * the rest of the write. Measured (docs/BENCHMARKS.md, issue 14): `deflateRawSync` spends ~9 µs
 * setting up a zlib stream before compressing anything, ~14 µs for a 1.4 KB webhook input — 8 % of
 * a webhook request's CPU — to save ~1 KB of a row. Larger payloads (big alert batches, command
 * output, API responses) are where the space is, and they still deflate to a third or less. Level 1:
 * the cheapest level that gets most of the gain. PostgreSQL needs none of this: JSONB values are
 * compressed by TOAST, and a JSONB column cannot hold bytes.
 */
export const COMPRESS_ABOVE_BYTES = 2048;

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
