import type { OutputStream, StepOutput } from '../engine/live-output.js';

/**
 * The script node's live output without its result: the wrapper ends stdout with `marker` and the
 * returned value, which is the step's output, not a line the script printed. Holds back the last
 * `marker.length - 1` characters of stdout until it knows they do not start the marker.
 */
export function withoutResult(to: StepOutput, marker: string): StepOutput & { flush(): void } {
  const decoder = new TextDecoder();
  let carry = '';
  let done = false;
  return {
    write(stream: OutputStream, chunk: Uint8Array | string) {
      if (stream === 'stderr') return to.write(stream, chunk);
      if (done) return;
      const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      const at = text.indexOf(marker);
      if (at >= 0) {
        done = true;
        carry = '';
        // The wrapper writes a newline before the marker: the script's last line ends there.
        if (at > 0) to.write('stdout', text.slice(0, at));
        return;
      }
      const keep = Math.min(text.length, marker.length - 1);
      carry = text.slice(text.length - keep);
      if (text.length > keep) to.write('stdout', text.slice(0, text.length - keep));
    },
    flush() {
      if (!done && carry !== '') to.write('stdout', carry);
      carry = '';
    },
  };
}
