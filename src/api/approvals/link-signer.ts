import { createHmac, timingSafeEqual } from 'node:crypto';
import { ItwError } from '../../model/errors.js';

export const LINK_DECISIONS = ['approve', 'reject'] as const;
export type LinkDecision = (typeof LINK_DECISIONS)[number];

/** What a signed approval link allows: one decision on one waiting approval, until it expires. */
export interface LinkClaims {
  readonly run_id: string;
  readonly decision: LinkDecision;
  /** Epoch ms. */
  readonly expires_at: number;
  /** Who the link was issued to: the answer is recorded as theirs. */
  readonly by: string;
  /** The user (session) or API key it was issued to: checked again when the link is used. */
  readonly holder: LinkHolder;
}

export const HOLDER_KINDS = ['session', 'api_key'] as const;
export interface LinkHolder {
  readonly kind: (typeof HOLDER_KINDS)[number];
  /** User id or API key id. */
  readonly id: string;
}

interface Payload {
  r: string;
  d: string;
  e: number;
  b: string;
  k: string;
  i: string;
}

function invalidLink(why: string): ItwError {
  return new ItwError('unauthorized', `approval link ${why}`);
}

/**
 * Signed one-time approval links: `base64url(payload).base64url(HMAC-SHA256(secret, payload))`, the
 * payload naming the run, the decision, the expiry and the person it was issued to. Once the answer
 * is recorded the run no longer waits, so a replay is refused by state, not by a token list.
 */
export class ApprovalLinks {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  sign(claims: LinkClaims): string {
    const payload: Payload = { r: claims.run_id, d: claims.decision, e: Math.floor(claims.expires_at / 1000), b: claims.by, k: claims.holder.kind, i: claims.holder.id };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a well-signed, unexpired token; `unauthorized` otherwise. */
  verify(token: string): LinkClaims {
    const [body, mac, ...rest] = token.split('.');
    if (!body || !mac || rest.length > 0) throw invalidLink('is malformed');
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidLink('is not valid');
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
    if (typeof p.r !== 'string' || typeof p.e !== 'number' || typeof p.b !== 'string' || !LINK_DECISIONS.includes(p.d as LinkDecision)
      || typeof p.i !== 'string' || !HOLDER_KINDS.includes(p.k as LinkHolder['kind'])) {
      throw invalidLink('is malformed');
    }
    if (p.e * 1000 <= this.now()) throw invalidLink('has expired');
    return { run_id: p.r, decision: p.d as LinkDecision, expires_at: p.e * 1000, by: p.b, holder: { kind: p.k as LinkHolder['kind'], id: p.i } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
