import { ItwError } from '../../model/errors.js';

/**
 * Open SSE streams per caller (API key or user) and in total. Each stream holds a socket, a
 * heartbeat timer and a hub listener for as long as the client likes: one viewer key opened 2,000.
 * Beyond either cap a new stream gets 429 with Retry-After; closing a stream frees its slot.
 */
export class StreamLimits {
  private readonly byOwner = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perOwner: number,
    private readonly overall: number,
  ) {}

  /** Takes a slot for `owner` or throws `rate_limited`; the returned function gives it back (once). */
  acquire(owner: string): () => void {
    const mine = this.byOwner.get(owner) ?? 0;
    if (mine >= this.perOwner) throw limited(`at most ${this.perOwner} event streams may be open per API key or user; close one first`);
    if (this.total >= this.overall) throw limited(`the server has its ${this.overall} event streams open; try again later`);
    this.byOwner.set(owner, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byOwner.get(owner) ?? 1) - 1;
      if (left <= 0) this.byOwner.delete(owner);
      else this.byOwner.set(owner, left);
    };
  }
}

const limited = (message: string) => new ItwError('rate_limited', message, { details: { retry_after_s: 5 } });
