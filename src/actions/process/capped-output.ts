/**
 * Collects a stream's bytes keeping only the first `headBytes` and the last `tailBytes`, so a
 * chatty process (or `yes`) cannot fill the server's memory while the start and the end of its
 * output, where errors usually are, survive.
 */
export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private total = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headSize < this.headBytes) {
      const take = rest.subarray(0, this.headBytes - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0 || this.tailBytes === 0) return;
    this.tail.push(rest);
    this.tailSize += rest.length;
    // Drop whole chunks from the front while the rest still covers the tail, then trim the first.
    while (this.tailSize - (this.tail[0]?.length ?? 0) >= this.tailBytes) {
      this.tailSize -= this.tail.shift()?.length ?? 0;
    }
    if (this.tailSize > this.tailBytes && this.tail[0]) {
      this.tail[0] = this.tail[0].subarray(this.tailSize - this.tailBytes);
      this.tailSize = this.tailBytes;
    }
  }

  /** Bytes the process wrote, kept or not. */
  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.total > this.headSize + this.tailSize;
  }

  /** UTF-8 text; a cut middle is marked `…[N bytes omitted]…`. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (!this.truncated) return head + tail;
    const omitted = this.total - this.headSize - this.tailSize;
    return `${head}…[${omitted} bytes omitted]…${tail}`;
  }
}

/** The last `chars` characters, for error details. */
export function tailOf(text: string, chars = 2000): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}
