/** What iputils `ping` reports in its summary (`-n`, C locale). */
export interface PingSummary {
  readonly packets_sent: number;
  readonly packets_received: number;
  readonly loss_pct: number;
  readonly rtt_min_ms: number | null;
  readonly rtt_avg_ms: number | null;
  readonly rtt_max_ms: number | null;
}

/**
 * Parses `3 packets transmitted, 3 received, 0% packet loss, time 2003ms` and
 * `rtt min/avg/max/mdev = 0.031/0.040/0.052/0.009 ms`; undefined when the summary is missing
 * (ping failed before sending: unknown host, no permission).
 */
export function parsePingOutput(stdout: string): PingSummary | undefined {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors)?(?:, \+\d+ duplicates)?, ([\d.]+)% packet loss/.exec(stdout);
  if (!counts) return undefined;
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/.exec(stdout);
  const ms = (i: number) => (rtt ? Number(rtt[i]) : null);
  return {
    packets_sent: Number(counts[1]),
    packets_received: Number(counts[2]),
    loss_pct: Number(counts[3]),
    rtt_min_ms: ms(1),
    rtt_avg_ms: ms(2),
    rtt_max_ms: ms(3),
  };
}
