export interface SseMessage {
  readonly event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, checked by the assertions
  readonly data: any;
}

/** A minimal text/event-stream reader over fetch: collects messages until the server ends the stream or `stop()`. */
export async function openEvents(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  const done = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) messages.push({ event, data: JSON.parse(data) });
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted by stop()
    } finally {
      ended = true;
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    messages,
    /** Resolves once a message matches (or rejects when the stream ends first). */
    async until(match: (m: SseMessage) => boolean): Promise<SseMessage> {
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (ended) throw new Error(`stream ended without the expected message; got ${JSON.stringify(messages.map((m) => m.event))}`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    /** Resolves when the server closes the stream. */
    ended: done,
    stop() {
      abort.abort();
      return done;
    },
  };
}
