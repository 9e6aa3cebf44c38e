/**
 * The process the incident sync crash test kills: `node --import tsx incident-sync-child.ts DATA_DIR PD_URL MODE`.
 * MODE `change`: forwards an incident to PagerDuty (a credential on PD_URL), acknowledges it, prints
 * `changed <incident id>` and idles until killed. MODE `drain`: runs the app until every queued
 * provider sync is sent, prints `synced`, exits 0.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';

const [dataDir, pdUrl, mode] = process.argv.slice(2) as [string, string, 'change' | 'drain'];
// A short lease: a send cut off by the kill is taken up again by the restarted process within it.
const app = await createApp(loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS, incidentSyncLeaseMs: 300 }));
if (mode === 'change') {
  const cred = await app.vault.create({ name: 'pd', type: 'pagerduty', data: { routing_key: 'R0UT1NGKEY0123456789abcdef012345', base_url: pdUrl }, allowed_hosts: ['127.0.0.1'] });
  const { incident } = await app.incidents.createIncident({ title: 'Checkout down', severity: 'critical' });
  await app.incidents.recordForwarding(incident.id, 'trigger', { provider: 'pagerduty', id: incident.id, credential_id: cred.id });
  await app.incidents.acknowledgeIncident(incident.id, { actor: 'user:dana' });
  process.stdout.write(`changed ${incident.id}\n`);
  setInterval(() => undefined, 1000);
} else {
  for (;;) {
    const db = app.store.db;
    const open = await db.selectFrom('incident_sync').select('id').where('status', '=', 'pending').execute();
    if (open.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write('synced\n');
  await app.close();
}
