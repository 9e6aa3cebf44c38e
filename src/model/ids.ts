import { randomBytes } from 'node:crypto';

/**
 * Crockford base32, lowercase. Its characters are in ASCII order, so ids compare as strings in the
 * same order as the numbers they encode: ids sort by creation time, like ULIDs.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 9 chars = 45 bits of epoch ms: enough until the year 3084 (8 chars overflowed in 2004). */
const TIME_CHARS = 9;
/** 7 chars = 35 random bits, so the id body stays 16 chars. */
const RANDOM_CHARS = 7;
const RANDOM_LIMIT = 2 ** (RANDOM_CHARS * 5);

// One syscall per 4 KiB instead of one per id: the engine mints tens of thousands of ids a second.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function random35(): number {
  if (poolOffset + 5 > pool.length) {
    randomBytes(pool.length).copy(pool);
    poolOffset = 0;
  }
  const n = pool.readUIntBE(poolOffset, 5);
  poolOffset += 5;
  return n % RANDOM_LIMIT;
}

function encode(n: number, chars: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < chars; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

let lastMs = -1;
let lastRandom = 0;

/**
 * `newId('wf')` → `wf_` + 9 chars of timestamp + 7 chars of randomness. Within one millisecond the
 * random part is incremented instead of redrawn (ULID's monotonic mode), so ids minted by one process
 * never collide and keep their creation order; across processes the 35 random bits keep them apart.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  let rnd: number;
  if (ms === lastMs) {
    rnd = lastRandom + 1;
    if (rnd >= RANDOM_LIMIT) {
      ms += 1;
      rnd = random35();
    }
  } else {
    rnd = random35();
  }
  lastMs = ms;
  lastRandom = rnd;
  return `${prefix}_${encode(ms, TIME_CHARS)}${encode(rnd, RANDOM_CHARS)}`;
}
