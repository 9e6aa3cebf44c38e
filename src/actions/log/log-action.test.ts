import { noCredentials } from '../../model/credentials.js';
import { describe, expect, it } from 'vitest';
import type { StepLogger, StepLogLevel } from '../../engine/node-handler.js';
import { logAction } from './log-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof logAction.run>[0]['params'];

async function runLog(params: Params) {
  const lines: { level: StepLogLevel; message: string; data?: Record<string, unknown> | undefined }[] = [];
  const log: StepLogger = { log: (level, message, data) => void lines.push({ level, message, data }) };
  const output = await logAction.run({ params, log, signal: new AbortController().signal, idempotencyKey: 'k', credentials: noCredentials, services: testServices() });
  return { output, lines };
}

describe('log action', () => {
  it('writes at info by default and returns the message and level', async () => {
    const { output, lines } = await runLog({ message: 'deploy started' });
    expect(output).toEqual({ message: 'deploy started', level: 'info' });
    expect(lines).toEqual([{ level: 'info', message: 'deploy started', data: undefined }]);
  });

  it('writes at the given level with object data as is', async () => {
    const { output, lines } = await runLog({ message: 'disk low', level: 'warn', data: { host: 'db1', free_pct: 4 } });
    expect(output).toEqual({ message: 'disk low', level: 'warn' });
    expect(lines).toEqual([{ level: 'warn', message: 'disk low', data: { host: 'db1', free_pct: 4 } }]);
  });

  it('wraps non-object data so it is kept', async () => {
    const { lines } = await runLog({ message: 'ids', level: 'debug', data: [1, 2] });
    expect(lines[0]?.data).toEqual({ data: [1, 2] });
  });

  it('plans the line it will write, so an approver or a dry run reads the message', () => {
    const ctx = { params: { message: 'restart of nginx requested by the health check', level: 'warn' as const }, log: { log: () => undefined }, idempotencyKey: 'k' };
    expect(logAction.plan?.(ctx)).toBe('log warn: "restart of nginx requested by the health check"');
    expect(logAction.plan?.({ ...ctx, params: { message: 'hi' } })).toBe('log info: "hi"');
  });
});
