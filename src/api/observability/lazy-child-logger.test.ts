import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { LazyChildLogger } from './lazy-child-logger.js';

function parentLogger(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level, redact: { paths: ['password', '*.password'], censor: '[redacted]' } }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { logger, lines, child: vi.spyOn(logger, 'child') };
}

describe('a request\'s lazy child logger', () => {
  it('builds no pino child until something is logged', () => {
    const { logger, child, lines } = parentLogger();
    const log = new LazyChildLogger(logger, { reqId: 'req-1' }, {});
    expect(log.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('logs with the request\'s bindings and the parent\'s redaction, building the child once', () => {
    const { logger, child, lines } = parentLogger();
    const log = new LazyChildLogger(logger, { reqId: 'req-2' }, {});
    log.info({ user: { password: 'hunter2' } }, 'first %s', 'line');
    log.warn('second');
    log.debug('below the level');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l['reqId'], l['msg'], l['level']])).toEqual([['req-2', 'first line', 30], ['req-2', 'second', 40]]);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('keeps a per-route level and hands out real children', () => {
    const { logger, lines } = parentLogger();
    const log = new LazyChildLogger(logger, { reqId: 'req-3' }, { level: 'warn' });
    expect(log.level).toBe('warn');
    log.info('dropped');
    log.child({ part: 'x' }).error('kept');
    expect(lines.map((l) => [l['reqId'], l['part'], l['msg']])).toEqual([['req-3', 'x', 'kept']]);
    log.level = 'debug';
    log.debug('now kept');
    expect(lines.at(-1)?.['msg']).toBe('now kept');
  });
});
