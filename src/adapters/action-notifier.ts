import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { sendEmailAction } from '../actions/communication/send-email-action.js';
import { sendSlackAction } from '../actions/communication/send-slack-action.js';
import { sendSmsAction } from '../actions/communication/send-sms-action.js';
import type { ActionDefinition, ActionServices } from '../actions/define-action.js';
import type { StepLogger } from '../engine/node-handler.js';
import type { CredentialResolver } from '../model/credentials.js';
import { NonRetryableError } from '../model/errors.js';
import type { EscalationTarget, Incident } from '../incidents/incident-types.js';
import type { Notifier, NotifyContext } from '../incidents/notifier.js';
import { pageBody, pageSms, pageSubject } from '../incidents/page-text.js';

/** Where a `user` target is reached; any subset. */
export interface UserContact {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly slack_channel?: string | undefined;
}

export interface ActionNotifierOptions {
  /** Resolves the credentials of targets and defaults (the vault). */
  readonly credentials: CredentialResolver;
  /** The app's services, as a workflow step gets them (its egress policy above all). */
  readonly services: ActionServices;
  /** Credential per channel for targets that name none. */
  readonly defaults?: { readonly slack?: string; readonly smtp?: string; readonly twilio?: string };
  /** How to reach a `user` target. @default none: user targets fail with `no_contact` */
  readonly userContact?: (userId: string) => Promise<UserContact | undefined>;
  /** @default discards */
  readonly log?: StepLogger;
}

const silent: StepLogger = { log: () => undefined };

/**
 * Pages through the send_slack / send_email / send_sms actions, so escalation shares their clients,
 * error classification and secret masking with workflow steps. An adapter of the incident module's
 * Notifier port over actions/: it lives here, wired by the composition root, so incidents/ never
 * imports actions/.
 */
export class ActionNotifier implements Notifier {
  constructor(private readonly opts: ActionNotifierOptions) {}

  async notify(target: EscalationTarget, incident: Incident, ctx?: NotifyContext): Promise<void> {
    const send = {
      idempotencyKey: ctx?.idempotencyKey ?? `${incident.id}:${target.type}:${target.value}`,
      signal: ctx?.signal ?? new AbortController().signal,
      level: ctx?.level ?? incident.escalation_level,
    };
    const type = target.type;
    switch (type) {
      case 'slack_channel':
        return this.slack(target.value, target.credential_id, incident, send);
      case 'email':
        return this.email(target.value, target.credential_id, incident, send);
      case 'sms':
        return this.sms(target.value, target.credential_id, incident, send);
      case 'user':
        return this.user(target.value, target.credential_id, incident, send);
      default: {
        const never: never = type;
        throw new NonRetryableError('invalid_target', `unknown escalation target type ${String(never)}`);
      }
    }
  }

  /** A target's credential_id is the e-mail channel's (where a user is reached now); phone and Slack use the defaults. */
  private async user(userId: string, credentialId: string | undefined, incident: Incident, send: Send): Promise<void> {
    const contact = await this.opts.userContact?.(userId);
    const pages: Promise<void>[] = [];
    if (contact?.email) pages.push(this.email(contact.email, credentialId, incident, send));
    if (contact?.phone) pages.push(this.sms(contact.phone, undefined, incident, send));
    if (contact?.slack_channel) pages.push(this.slack(contact.slack_channel, undefined, incident, send));
    if (pages.length === 0) throw new NonRetryableError('no_contact', `user ${userId} has no e-mail, phone or Slack channel to page`);
    // One reachable channel is enough: the user was paged.
    await Promise.any(pages).catch((err: unknown) => {
      throw err instanceof AggregateError ? err.errors[0] : err;
    });
  }

  private async slack(channel: string, credentialId: string | undefined, incident: Incident, send: Send): Promise<void> {
    const credential_id = this.credential('slack', credentialId);
    return this.run(sendSlackAction, { credential_id, channel, text: pageBody(incident, send.level) }, send);
  }

  private async email(to: string, credentialId: string | undefined, incident: Incident, send: Send): Promise<void> {
    const credential_id = this.credential('smtp', credentialId);
    return this.run(sendEmailAction, { credential_id, to, subject: pageSubject(incident), text: pageBody(incident, send.level) }, send);
  }

  private async sms(to: string, credentialId: string | undefined, incident: Incident, send: Send): Promise<void> {
    const credential_id = this.credential('twilio', credentialId);
    return this.run(sendSmsAction, { credential_id, to, body: pageSms(incident) }, send);
  }

  private credential(kind: 'slack' | 'smtp' | 'twilio', named: string | undefined): string {
    const id = named ?? this.opts.defaults?.[kind];
    if (id === undefined) throw new NonRetryableError('no_credential', `no ${kind} credential: name one on the target or configure a default`);
    return id;
  }

  /** The engine checks params before `run`; called directly, we check them (a bad number, a bad address). */
  private async run<P extends TSchema, O extends TSchema>(action: ActionDefinition<P, O>, params: Static<P>, send: Send): Promise<void> {
    const error = Value.Errors(action.params, params).First();
    if (error) throw new NonRetryableError('invalid_target', `${action.id} ${error.path}: ${error.message}`);
    await action.run({ params, log: this.opts.log ?? silent, signal: send.signal, idempotencyKey: send.idempotencyKey, credentials: this.opts.credentials, services: this.opts.services });
  }
}

interface Send {
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly level: number;
}
