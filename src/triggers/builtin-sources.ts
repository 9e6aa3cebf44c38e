import type { TriggerSource } from './trigger-source.js';
import { alertSource, type AlertIngestPort } from './sources/alert.js';
import { apiEndpointSource } from './sources/api-endpoint.js';
import { deploymentSource } from './sources/deployment.js';
import { emailSource } from './sources/email.js';
import { SmtpListener, type SmtpListenerOptions } from './sources/email-smtp.js';
import type { BrokerDefaults } from './sources/event-config.js';
import { eventSource } from './sources/event.js';
import { fileWatchSource } from './sources/file-watch.js';
import { incidentSource, type IncidentEventsPort } from './sources/incident.js';
import { manualSource } from './sources/manual.js';
import { scheduleSource } from './sources/schedule.js';
import { slackCommandSource } from './sources/slack-command.js';
import { webhookSource } from './sources/webhook.js';

export interface SourceDeps {
  readonly incidents: AlertIngestPort & IncidentEventsPort;
  readonly brokers: BrokerDefaults;
  readonly smtp: SmtpListenerOptions;
}

/** The eleven trigger types, one source each. */
export function builtinSources(deps: SourceDeps): TriggerSource[] {
  return [
    manualSource, scheduleSource, webhookSource, eventSource(deps.brokers), emailSource(new SmtpListener(deps.smtp)),
    fileWatchSource, apiEndpointSource, incidentSource(deps.incidents), alertSource(deps.incidents), deploymentSource, slackCommandSource,
  ];
}
