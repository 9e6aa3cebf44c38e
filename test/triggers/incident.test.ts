import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions } from './trigger-test-kit.js';

describe.each(DIALECTS)('incident trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  it('fires on incident events, filtered by event kind, severity and service', async () => {
    const critical = await deployActive(s, echoWorkflow('Critical db incidents', { trigger_type: 'incident', events: ['created', 'resolved'], severities: ['critical'], services: ['db'] }));
    const acks = await deployActive(s, echoWorkflow('Acks', { trigger_type: 'incident', events: ['acknowledged'] }));
    const incidents = s.app.incidents;
    const { incident } = await incidents.createIncident({ title: 'DB down', severity: 'critical', service: 'db' });
    await incidents.createIncident({ title: 'Web slow', severity: 'warning', service: 'web' });
    await incidents.createIncident({ title: 'DB replica lag', severity: 'critical', service: 'db-replica' });
    await incidents.acknowledgeIncident(incident.id);
    await incidents.resolveIncident(incident.id, { resolution: 'restarted' });
    const runs = await untilExecutions(s, critical, 2);
    expect(runs.map((r) => (r.input_data as { event: string }).event).sort()).toEqual(['incident.created', 'incident.resolved']);
    expect(runs[0]!.input_data).toMatchObject({ incident: { id: incident.id, title: 'DB down', service: 'db' } });
    const [ack] = await untilExecutions(s, acks, 1);
    expect(ack!.input_data).toMatchObject({ event: 'incident.acknowledged', incident: { status: 'acknowledged' } });
    await sleep(100);
    expect(await executionsOf(s, critical)).toHaveLength(2);
  });
});
