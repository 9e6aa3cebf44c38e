// Test support (not a test itself): the context an action receives, with credentials from a list.
import type { StepLogger, StepLogLevel } from '../../engine/node-handler.js';
import type { CredentialResolver, ResolvedCredential } from '../../model/credentials.js';
import { NonRetryableError, NotFoundError } from '../../model/errors.js';
import type { ActionContext, ActionServices } from '../define-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

export interface LogLine {
  readonly level: StepLogLevel;
  readonly message: string;
  readonly data?: Record<string, unknown> | undefined;
}

/** Resolves fixed credentials and, like the vault, refuses one of a type the action did not ask for. */
export function listResolver(credentials: readonly ResolvedCredential[]): CredentialResolver {
  const byId = new Map(credentials.map((c) => [c.id, c]));
  return {
    get(id, allowedTypes) {
      const cred = byId.get(id);
      if (cred === undefined) return Promise.reject(new NotFoundError('credential', id));
      if (allowedTypes !== undefined && !allowedTypes.includes(cred.type)) {
        return Promise.reject(new NonRetryableError('credential_type', `credential ${id} is a ${cred.type} credential, not ${allowedTypes.join(' or ')}`));
      }
      return Promise.resolve(cred);
    },
  };
}

/** `services`: what an app would pass (test/support/loopback-egress.ts: loopback egress allowed, no store behind the ports). */
export function testContext<P>(params: P, credentials: readonly ResolvedCredential[] = [], services: ActionServices = testServices()): { ctx: ActionContext<P>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log: StepLogger = { log: (level, message, data) => void lines.push({ level, message, data }) };
  const ctx = { params, log, signal: new AbortController().signal, idempotencyKey: 'exec-1:notify:0:1', credentials: listResolver(credentials), services };
  return { ctx, lines };
}
