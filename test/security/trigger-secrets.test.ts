import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { hmacHex } from '../../src/triggers/ingress.js';
import type { ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';

import { deployActive, echoWorkflow, startTriggerServer, untilExecutions } from '../triggers/trigger-test-kit.js';
import { dataDirBytes, holds } from './secret-files.js';

// Issue 11, finding 5: a viewer read HMAC secrets and header tokens off the trigger list, and they
// sat in clear in exports and in the database file.
const HMAC_SECRET = 'hmac-Secret-9f2c71d4e8';
const HEADER_TOKEN = 'header-Token-5b90aa13c7';

describe('trigger secrets live in the vault, write-only (finding 5)', () => {
  let s: ApiServer;
  let wf: string;
  beforeAll(async () => {
    s = await startTriggerServer(SQLITE);
    wf = await deployActive(s, echoWorkflow('Signed', { trigger_type: 'webhook', path: 'sealed/hook', auth: { mode: 'hmac', secret: HMAC_SECRET } }));
    const reg = await s.call('POST', `/automation/workflows/${wf}/triggers`, {
      body: { trigger_type: 'webhook', config: { path: 'sealed/token', auth: { mode: 'header', header: 'x-token', token: HEADER_TOKEN } } },
    });
    expect(reg.status, reg.text).toBe(201);
    expect(reg.text).not.toContain(HEADER_TOKEN);
  });
  afterAll(async () => s.close());

  const signed = (secret: string, body: string, ts = Math.floor(Date.now() / 1000)) =>
    fetch(`${s.url}/webhooks/sealed/hook`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-itw-timestamp': String(ts), 'x-itw-signature': `sha256=${hmacHex(secret, `${ts}.${body}`)}` },
    });

  it('a viewer sees `secret_set: true`, never the secret or token; neither does the definition', async () => {
    const list = await s.call('GET', `/automation/workflows/${wf}/triggers`, { as: 'viewer' });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(HMAC_SECRET);
    expect(list.text).not.toContain(HEADER_TOKEN);
    const byPath = new Map((list.body.items as Array<{ config: { path: string; auth: Record<string, unknown> } }>).map((t) => [t.config.path, t.config.auth]));
    expect(byPath.get('sealed/hook')).toMatchObject({ mode: 'hmac', secret_set: true });
    expect(byPath.get('sealed/hook')).not.toHaveProperty('secret');
    expect(byPath.get('sealed/token')).toMatchObject({ mode: 'header', token_set: true });
    const def = await s.call('GET', `/automation/workflows/${wf}`, { as: 'viewer' });
    expect(def.status).toBe(200);
    expect(def.text).not.toContain(HMAC_SECRET);
  });

  it('the sealed secret still verifies deliveries; what a viewer sees of it signs nothing', async () => {
    const body = JSON.stringify({ n: 1 });
    expect((await signed(HMAC_SECRET, body)).status).toBe(202);
    const shown = JSON.stringify((await s.call('GET', `/automation/workflows/${wf}`, { as: 'viewer' })).body);
    const ref = /\$vault:sec_[A-Za-z0-9_-]+/.exec(shown)?.[0];
    expect(ref).toBeDefined();
    expect((await signed(ref!, JSON.stringify({ n: 2 }))).status).toBe(401);
    const tokenHook = (token: string) => fetch(`${s.url}/webhooks/sealed/token`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-token': token } });
    expect((await tokenHook('token_set')).status).toBe(401);
    expect((await tokenHook(HEADER_TOKEN)).status).toBe(202);
    await untilExecutions(s, wf, 2);
  });

  it('export carries a vault reference; importing it elsewhere does not carry the secret along', async () => {
    const exported = await s.call('GET', `/automation/workflows/${wf}/export`, { as: 'viewer' });
    expect(exported.status).toBe(200);
    expect(exported.text).not.toContain(HMAC_SECRET);
    const auth = (exported.body.nodes as Array<{ id: string; config: { auth: { secret: string } } }>).find((n) => n.id === 'in')!.config.auth;
    expect(auth.secret).toMatch(/^\$vault:sec_/);
    const yaml = await s.call('GET', `/automation/workflows/${wf}/export?format=yaml`, { as: 'viewer' });
    expect(yaml.text).not.toContain(HMAC_SECRET);

    // The reference belongs to the exporting workflow: an import (here, or after the file was
    // edited to point at another workflow's secret) gets no secret and its trigger does not run.
    const doc = exported.body as { nodes: Array<{ id: string; config: object }> };
    const nodes = doc.nodes.map((n) => (n.id === 'in' ? { ...n, config: { ...n.config, path: 'sealed/copy' } } : n));
    const imported = await s.call('POST', '/automation/workflows/import', { body: { ...doc, name: 'Imported', nodes } });
    expect(imported.status, imported.text).toBe(201);
    const copyId = String(imported.body.id);
    // Activation's preflight names the missing secret instead of starting an invalid trigger (issue 13).
    const refused = await s.call('POST', `/automation/workflows/${copyId}/activate`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ code: 'trigger_config_invalid', path: '/nodes/0/config/auth/secret' })]);
  });

  it('the database file does not hold the secret or the token', () => {
    const bytes = dataDirBytes(s.config.dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    expect(holds(bytes, HMAC_SECRET)).toBe(false);
    expect(holds(bytes, HEADER_TOKEN)).toBe(false);
  });
});

describe('clear trigger secrets stored before the vault held them are sealed at start', () => {
  it('a trigger row and a draft written in clear hold references after a restart, and the file no longer holds the value', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'itw-seal-'));
    const config = loadConfig({}, { dataDir, logLevel: 'silent', templatesDir: join(dataDir, 'no-templates') });
    const legacy = 'legacy-Clear-Token-90ab12';
    try {
      let app = await createApp(config, { triggers: false });
      const { id } = await app.store.workflows.createWorkflow({ name: 'Legacy', nodes: [{ id: 'e', node_type: 'transform', config: { expression: '1' } }], edges: [] });
      // What an older version wrote: the config straight into the row, and a draft node in clear.
      await app.store.db.insertInto('workflow_triggers').values({
        id: 'trg_legacy', workflow_id: id, trigger_type: 'webhook', config: JSON.stringify({ path: 'legacy', auth: { mode: 'header', token: legacy } }),
        enabled: 1, status: 'idle', last_fired_at: null, last_error: null, fire_count: 0, dropped_count: 0, debounced_count: 0, created_at: Date.now(), node_id: null,
      }).execute();
      await app.store.db.updateTable('workflow_nodes').set({ node_type: 'trigger', config: JSON.stringify({ trigger_type: 'webhook', path: 'legacy-node', auth: { mode: 'hmac', secret: legacy } }) }).where('workflow_id', '=', id).execute();
      await app.close();
      expect(holds(dataDirBytes(dataDir), legacy)).toBe(true);

      app = await createApp(config, { triggers: false });
      const row = await app.repos.triggers.get('trg_legacy');
      expect(JSON.stringify(row)).not.toContain(legacy);
      expect((row!.config['auth'] as { token: string }).token).toMatch(/^\$vault:sec_/);
      expect(JSON.stringify(await app.store.workflows.getDefinition(id))).not.toContain(legacy);
      await app.close();
      // secure_delete: the overwritten rows leave nothing behind in free pages.
      expect(holds(dataDirBytes(dataDir), legacy)).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
