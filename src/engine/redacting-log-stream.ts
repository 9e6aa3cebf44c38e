import type { DestinationStream } from 'pino';
import type { Redactor } from './redactor.js';

/**
 * The log's last stop: every serialized line has the secrets the vault opened (credentials,
 * trigger secrets, secret variables, and their encoded forms) replaced, whatever field or message
 * a logger put them in. Working on the line, not the logged objects, sees exactly what is written
 * and never walks a request object's cycles.
 */
export function redactingStream(redactor: Redactor, to: DestinationStream = process.stdout): DestinationStream {
  return { write: (line: string) => to.write(redactor.active ? redactor.redactText(line) : line) };
}
