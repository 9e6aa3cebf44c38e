import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time token that lets the first visitor of a server with no users make the first admin
 * (POST /auth/setup). Random per start and printed on the server's console only: whoever reads that
 * console already controls the server. Used once, then gone; a new start makes a new one.
 */
export class SetupToken {
  private digest: Buffer | undefined;

  constructor(readonly value: string = randomBytes(24).toString('base64url')) {
    this.digest = hash(value);
  }

  get available(): boolean {
    return this.digest !== undefined;
  }

  /**
   * True once for the right token: it is spent before the caller awaits anything, so two requests
   * racing with it cannot both pass. Compared as SHA-256 digests in constant time (equal lengths).
   */
  consume(candidate: string): boolean {
    if (!this.digest || !timingSafeEqual(this.digest, hash(candidate))) return false;
    this.digest = undefined;
    return true;
  }
}

function hash(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
