import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { expectCompleted, fakeCredentials, fakeSaas, loadTemplate, runTemplate, startTemplate } from './template-support.js';

const template = loadTemplate('incident-response.yaml');

describe.each(DIALECTS)('template: Incident Response Automation ($name)', (dialect) => {
  let h: Harness;
  let saas: Awaited<ReturnType<typeof fakeSaas>>;
  let variables: Record<string, unknown>;
  beforeAll(async () => {
    h = await openHarness(dialect);
    saas = await fakeSaas();
    await fakeCredentials(h, saas.url, { slack: 'slack-oncall', twilio: 'twilio-oncall', statuspage: 'statuspage' });
    variables = { escalate_after_seconds: 120, oncall_phone: '+15550101', manager_phone: '+15550202', statuspage_page_id: 'kctbh9vrtdwd', statuspage_component_id: 'c1db' };
  });
  afterEach(() => { saas.calls.length = 0; });
  afterAll(async () => {
    await saas.close();
    await h.close();
  });

  it('opens an incident, pages on-call on Slack and by SMS, and escalates to the manager when nobody acknowledges', async () => {
    const alert = { dedup_key: 'db1-down', source: 'prometheus', severity: 'critical', summary: 'db1 is not answering' };
    const r = await runTemplate(h, template, alert, variables);
    expectCompleted(r);

    const incident = (await h.app.incidents.listIncidents({ service: 'prometheus' })).items[0]!;
    expect(incident).toMatchObject({ title: 'db1 is not answering', severity: 'critical', status: 'triggered', escalation_level: 1 });
    const timeline = (await h.app.incidents.getIncident(incident.id))!.timeline.map((e) => e.kind);
    expect(timeline).toEqual(['triggered', 'note', 'escalated']);

    const [slack] = saas.of('slack');
    expect(saas.of('slack')).toHaveLength(1);
    expect(slack!.body).toMatchObject({ channel: '#incidents', text: `:rotating_light: ${incident.key} [critical] db1 is not answering. On-call: please acknowledge within 2 min.` });
    expect(saas.of('twilio').map((c) => [c.body['To'], c.body['Body']])).toEqual([
      ['+15550101', `${incident.key}: db1 is not answering. Acknowledge within 2 min.`],
      ['+15550202', `${incident.key} escalated to you, nobody acknowledged it: db1 is not answering`],
    ]);
    expect(saas.of('statuspage')).toEqual([expect.objectContaining({
      path: '/v1/pages/kctbh9vrtdwd/incidents', auth: 'OAuth statuspage-template-test-key',
      body: { incident: {
        name: 'db1 is not answering', status: 'investigating', body: `${incident.key} (critical): db1 is not answering. We are investigating.`,
        component_ids: ['c1db'], components: { c1db: 'major_outage' },
      } },
    })]);
    expect(r.node('log_actions').output).toMatchObject({
      message: `${incident.key}: paged on-call on Slack and by SMS; not acknowledged, escalated and paged the manager; status page incident p31zjtct2jer opened`,
    });
  });

  it('an acknowledgement during the wait stops the escalation; the alert trigger’s input shape works too', async () => {
    // What the alert trigger hands a run: the incident module already opened the incident for the alert.
    const ingested = await h.app.incidents.ingestAlert({ action: 'trigger', dedup_key: 'disk-web3', source: 'node-exporter', severity: 'critical', summary: 'disk full on web3' });
    const id = await startTemplate(h, template, { format: 'alertmanager', action: 'trigger', alert: ingested.alert, incident: ingested.incident }, variables);
    await h.until(id, (e) => e.status === 'waiting');
    expect(saas.of('twilio')).toHaveLength(1);
    await h.app.incidents.acknowledgeIncident(ingested.incident!.id, { actor: 'alice' });
    const r = await h.settle(id);
    expectCompleted(r);

    expect(r.node('open_incident').output).toMatchObject({ incident_id: ingested.incident!.id, created: false });
    expect(r.node('escalate').status).toBe('skipped');
    expect(saas.of('twilio').map((c) => c.body['To'])).toEqual(['+15550101']);
    expect(saas.of('statuspage')[0]!.body).toMatchObject({ incident: { status: 'identified' } });
    const detail = (await h.app.incidents.getIncident(ingested.incident!.id))!;
    expect(detail.status).toBe('acknowledged');
    expect(detail.timeline.map((e) => e.kind)).not.toContain('escalated');
  });
});
