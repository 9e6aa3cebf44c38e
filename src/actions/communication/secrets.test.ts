import { describe, expect, it } from 'vitest';
import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import { redactError, withSecretsMasked } from './secrets.js';

const TOKEN = 'xoxb-secret-token-123';

describe('redactError', () => {
  it('masks secrets in message and details, keeping class, code and Retry-After', () => {
    const err = new RetryableError('slack_ratelimited', `call with ${TOKEN} failed`, { retryAfterMs: 5000, details: { echoed: [TOKEN] } });
    const out = redactError(err, [TOKEN]);
    expect(out).toBeInstanceOf(RetryableError);
    expect(out).toMatchObject({ code: 'slack_ratelimited', retryAfterMs: 5000, message: 'call with [redacted] failed', details: { echoed: ['[redacted]'] } });
  });

  it('drops a cause that quotes a secret, keeps one that does not', () => {
    const leaky = redactError(new NonRetryableError('x', 'failed', { cause: new Error(`bad ${TOKEN}`) }), [TOKEN]);
    expect(leaky).toBeInstanceOf(NonRetryableError);
    expect((leaky as Error).cause).toBeUndefined();
    const clean = new NonRetryableError('x', `failed ${TOKEN}`, { cause: new Error('ECONNRESET') });
    expect((redactError(clean, [TOKEN]) as Error).cause).toBe(clean.cause);
  });

  it('leaves errors without secrets as they are, and ignores values too short to be secrets', () => {
    const err = new ItwError('unavailable', 'port 465 refused');
    expect(redactError(err, [TOKEN, '465', undefined])).toBe(err);
  });

  it('wraps a plain error that quotes a secret', async () => {
    const out: unknown = await withSecretsMasked([TOKEN], () => Promise.reject(new Error(`boom ${TOKEN}`))).catch((e: unknown) => e);
    expect(out).toBeInstanceOf(ItwError);
    expect(out).toMatchObject({ code: 'internal_error', retryable: true, message: 'boom [redacted]' });
  });
});
