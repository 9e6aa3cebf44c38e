import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinActions } from '../../src/actions/catalog.js';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { planDryRun } from '../../src/nodes/dry-run-plan.js';
import { loadTemplateFiles } from '../../src/store/template-files.js';
import { startApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { loadTemplate } from './template-support.js';

const dir = fileURLToPath(new URL('../../templates/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

function captureIo(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), isTTY: false, env: {}, readSecret: () => Promise.resolve('') };
}

describe('templates/', () => {
  it('holds the seed’s five templates and Rolling Restart, all loaded at start under their tpl_ ids', async () => {
    const loaded = await loadTemplateFiles(dir);
    expect(loaded.problems).toEqual([]);
    expect(loaded.templates.map((t) => [t.id, t.definition.name]).sort()).toEqual([
      ['tpl_backup_and_recovery', 'Backup and Recovery'],
      ['tpl_deployment_pipeline', 'Deployment Pipeline'],
      ['tpl_incident_response', 'Incident Response Automation'],
      ['tpl_rolling_restart', 'Rolling Restart'],
      ['tpl_server_health_check', 'Server Health Check'],
      ['tpl_user_onboarding', 'User Onboarding'],
    ]);
  });

  /** What a user sets up for a template (model/preflight): credentials to create, settings to allow. */
  const SETUP_CODES = new Set(['credential_missing', 'service_not_allowed', 'restart_command_missing', 'ssh_host_key_unpinned']);

  it('are served by the API; each becomes a draft whose activation asks only for the credentials and settings it names', async () => {
    const s = await startApiServer(SQLITE, { templatesDir: dir });
    try {
      const list = await s.call('GET', '/automation/templates', { as: 'viewer' });
      expect(list.body.items).toHaveLength(files.length);
      for (const t of list.body.items as Array<{ id: string; name: string }>) {
        const used = await s.call('POST', `/automation/templates/${t.id}/use`, { as: 'editor' });
        expect(used.status, t.id).toBe(201);
        expect(used.body.name).toBe(t.name);
        expect((await s.call('GET', `/automation/workflows/${used.body.id}`, { as: 'viewer' })).body.status).toBe('draft');
        // A fresh server has none of the template's credentials or allow-lists: activation lists exactly
        // those (what the setup view asks for), never a problem in the template itself.
        const activated = await s.call('POST', `/automation/workflows/${used.body.id}/activate`, { as: 'editor' });
        const problems = (activated.body.errors ?? []) as Array<{ code: string; path?: string }>;
        expect(activated.status === 200 || activated.status === 422, t.id).toBe(true);
        // A trigger's own secret or token (ingress auth) is the user's to choose, never shipped in a template.
        expect(problems.filter((p) => !SETUP_CODES.has(p.code) && !(p.code === 'trigger_config_invalid' && /\/(secret|token)$/.test(p.path ?? ''))), `${t.id}: ${JSON.stringify(problems)}`).toEqual([]);
        if (activated.status === 200) {
          // Its triggers would fire for real (a schedule, an ingress path): not in a test.
          expect((await s.call('POST', `/automation/workflows/${used.body.id}/deactivate`, { as: 'editor' })).status).toBe(200);
        }
      }
    } finally {
      await s.close();
    }
  });

  it.each(files)('%s passes `itw validate`', async (file) => {
    const io = captureIo();
    expect(await runCli(['validate', join(dir, file)], io)).toBe(0);
    expect(io.lines).toEqual([expect.stringMatching(/: valid \(\d+ nodes, \d+ edges\)$/)]);
  });

  it.each(files)('%s declares every variable it reads, each with a default and a description', (file) => {
    const def = loadTemplate(file);
    const declared = new Set((def.variables ?? []).map((v) => v.name));
    const used = new Set([...JSON.stringify(def.nodes).matchAll(/\$vars\.([a-z_]+)/g)].map((m) => m[1]!));
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
    for (const v of def.variables ?? []) {
      expect(v, v.name).toHaveProperty('default');
      expect(v.description, v.name).toBeTruthy();
    }
  });

  it.each(files)('%s dry-runs: its side-effecting steps planned from the defaults', async (file) => {
    const plan = await planDryRun(loadTemplate(file), builtinActions());
    expect(plan.steps.length).toBeGreaterThan(2);
    for (const s of plan.steps) expect(s.plan, s.node_id).not.toMatch(/^unknown action/);
  });
});
