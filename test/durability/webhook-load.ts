import pg from 'pg';
import { POSTGRES_URL } from '../support/harness.js';

/** Deliveries to one webhook from `connections` loops until stopped, tallied by answer. */
export class WebhookLoad {
  /** Execution ids of the deliveries answered 202. */
  readonly acknowledged: string[] = [];
  readonly byStatus = new Map<number, number>();
  readonly refusals: Array<{ status: number; retryAfter: string | null; type: string | null; body: unknown }> = [];
  private sending = true;
  private readonly senders: Array<Promise<void>>;

  constructor(baseUrl: string, path: string, connections: number) {
    this.senders = Array.from({ length: connections }, (_, n) => this.send(`${baseUrl}/webhooks/${path}`, n));
  }

  private async send(url: string, n: number): Promise<void> {
    for (let i = 0; this.sending; i++) {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify({ n, i }), headers: { 'content-type': 'application/json' } });
      const body = (await res.json()) as { execution_id?: string };
      this.byStatus.set(res.status, (this.byStatus.get(res.status) ?? 0) + 1);
      if (res.status === 202) this.acknowledged.push(body.execution_id!);
      else this.refusals.push({ status: res.status, retryAfter: res.headers.get('retry-after'), type: res.headers.get('content-type'), body });
    }
  }

  async stop(): Promise<void> {
    this.sending = false;
    await Promise.all(this.senders);
  }
}

/** The "restart": every backend connected as `applicationName` ends with admin_shutdown (57P01). */
export async function terminateBackends(applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const killed = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    return killed.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
