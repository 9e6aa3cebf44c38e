import { pino, type DestinationStream } from 'pino';
import type { Redactor } from './engine/redactor.js';
import { redactingStream } from './engine/redacting-log-stream.js';
import type { Logger } from './model/logger.js';
import { REDACTED } from './model/redaction-marker.js';

/** Field names never logged, whatever a caller passes (the API server's list, minus HTTP headers). */
const REDACT = ['password', '*.password', 'key', '*.key', 'token', '*.token'];

/**
 * The app's pino logger (engine, triggers, incidents, retention, step log lines): the same level
 * and the same redacting stream as the API server's, so a secret the vault opened never reaches a
 * log line, whichever part of the server wrote it.
 */
export function appLogger(level: string, redactor: Redactor, stream?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: REDACTED } }, redactingStream(redactor, stream));
}
