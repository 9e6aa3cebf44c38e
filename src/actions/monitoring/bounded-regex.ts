import { runInNewContext } from 'node:vm';
import { NonRetryableError } from '../../model/errors.js';
import { invalidParam } from '../communication/invalid-param.js';

/**
 * A user regex run against a remote body: a pattern with catastrophic backtracking (`(a+)+$`) on a
 * hostile answer would hold the worker's event loop for minutes. V8 interrupts a regex at a vm
 * timeout, so the match runs under one.
 */
const MATCH_TIMEOUT_MS = 500;

export function compileRegex(actionId: string, path: string, source: string): RegExp {
  try {
    return new RegExp(source, 'm');
  } catch (err) {
    throw invalidParam(actionId, path, `is not a valid regular expression (${(err as Error).message})`);
  }
}

/** Whether `re` matches `text`, or `regex_timeout` when it takes longer than half a second. */
export function boundedTest(re: RegExp, text: string): boolean {
  try {
    return runInNewContext('re.test(text)', { re, text }, { timeout: MATCH_TIMEOUT_MS }) as boolean;
  } catch (err) {
    throw new NonRetryableError('regex_timeout', `the regular expression took longer than ${MATCH_TIMEOUT_MS} ms on the response body: simplify it`, { cause: err });
  }
}
