import { Value } from '@sinclair/typebox/value';
import type { App } from '../../app.js';
import type { Config } from '../../config/config.js';
import { NotFoundError } from '../../model/errors.js';
import type { PreflightFacts, TriggerRules } from '../../model/preflight/preflight-problem.js';
import { runPreflight, type PreflightResult } from '../../model/preflight/run-preflight.js';
import { TRIGGER_TYPES } from '../../nodes/trigger.js';
import { nextTicks, ScheduleConfigSchema } from '../../triggers/sources/schedule.js';

/** Gathers what activation depends on (credentials, settings, routes held) and runs the preflight rules over a draft. */
export async function preflightDraft(app: App, config: Config, workflowId: string): Promise<PreflightResult> {
  const draft = await app.store.workflows.getDefinition(workflowId);
  if (!draft) throw new NotFoundError('workflow', workflowId);
  const triggers = new Map<string, TriggerRules>();
  for (const type of TRIGGER_TYPES) {
    const source = app.triggers.source(type);
    if (source) triggers.set(type, source);
  }
  const credentials = (await app.vault.list()).map((c) => ({ id: c.id, name: c.name, type: c.type, fields: c.fields }));
  const facts: PreflightFacts = {
    workflowId,
    now: app.triggers.now(),
    credentials,
    restartAllowedServices: config.restartAllowedServices,
    restartCommands: config.restartCommands,
    dockerSockets: config.dockerSockets,
    slackChatOps: app.slack.enabled,
    hosts: await app.repos.hosts.list(),
    triggers,
    routeHolder: (type, key) => {
      const other = app.triggers.targets(type as (typeof TRIGGER_TYPES)[number], key).find((t) => t.binding.workflowId !== workflowId);
      return other ? `workflow ${other.binding.workflowId}` : undefined;
    },
    nextScheduleTick: (raw, from) => {
      const c = Value.Default(ScheduleConfigSchema, Value.Clone(raw));
      if (!Value.Check(ScheduleConfigSchema, c)) return undefined;
      try {
        return nextTicks(c, from, 1)[0];
      } catch {
        return undefined;
      }
    },
  };
  return runPreflight(draft, app.catalog, facts);
}
