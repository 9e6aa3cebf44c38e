import { NonRetryableError } from '../../model/errors.js';

/**
 * A param combination the schema cannot express (one of two fields, a field another one requires),
 * reported in the same shape as the action node's schema check.
 */
export function invalidParam(actionId: string, path: string, message: string): NonRetryableError {
  return new NonRetryableError('invalid_params', `action "${actionId}" param ${path}: ${message}`, { details: { path } });
}
