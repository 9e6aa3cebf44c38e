import { Type, type Static } from '@sinclair/typebox';
import { Cron } from 'croner';
import type { TriggerContext, TriggerSource } from '../trigger-source.js';

export const ScheduleConfigSchema = Type.Object({
  /** 5 fields (minute precision) or 6 (leading seconds). Exactly one of cron and interval_seconds. */
  cron: Type.Optional(Type.String({ minLength: 1 })),
  /** Ticks at multiples of this since the Unix epoch (or `start_at`), so every process agrees on them. */
  interval_seconds: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Interval anchor (ISO time). @default the Unix epoch */
  start_at: Type.Optional(Type.String({ format: 'date-time' })),
  /** IANA time zone the cron reads in. */
  timezone: Type.String({ default: 'UTC' }),
  /** After downtime: `skip` missed ticks, or `run_once` for the latest one missed. */
  misfire: Type.Union([Type.Literal('skip'), Type.Literal('run_once')], { default: 'skip' }),
});
export type ScheduleConfig = Static<typeof ScheduleConfigSchema>;

function cronOf(c: ScheduleConfig): Cron {
  return new Cron(c.cron!, { timezone: c.timezone, paused: true });
}

export function scheduleProblems(c: ScheduleConfig): string[] {
  if ((c.cron === undefined) === (c.interval_seconds === undefined)) return ['/: exactly one of cron and interval_seconds is required'];
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.timezone });
  } catch {
    return [`/timezone: unknown time zone ${c.timezone}`];
  }
  if (c.cron !== undefined) {
    const fields = c.cron.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) return [`/cron: needs 5 fields, or 6 with seconds first; got ${fields}`];
    try {
      cronOf(c);
    } catch (err) {
      return [`/cron: ${err instanceof Error ? err.message : String(err)}`];
    }
  }
  return [];
}

/** The next `n` tick times strictly after `from` (epoch ms). */
export function nextTicks(c: ScheduleConfig, from: number, n: number): number[] {
  if (c.interval_seconds !== undefined) {
    const step = c.interval_seconds * 1000;
    const anchor = c.start_at !== undefined ? Date.parse(c.start_at) : 0;
    const first = anchor > from ? anchor : anchor + (Math.floor((from - anchor) / step) + 1) * step;
    return Array.from({ length: n }, (_, i) => first + i * step);
  }
  // croner strips milliseconds and starts strictly after the given second.
  return cronOf(c).nextRuns(n, new Date(from)).map((d) => d.getTime()).filter((t) => t > from);
}

/** The latest tick in (after, upTo], if any: what `run_once` fires after downtime. */
export function lastMissedTick(c: ScheduleConfig, after: number, upTo: number): number | undefined {
  let t: number | undefined;
  if (c.interval_seconds !== undefined) {
    const step = c.interval_seconds * 1000;
    const anchor = c.start_at !== undefined ? Date.parse(c.start_at) : 0;
    if (upTo < anchor) return undefined;
    t = anchor + Math.floor((upTo - anchor) / step) * step;
  } else {
    const prev = cronOf(c).previousRuns(1, new Date(upTo + 1000))[0];
    t = prev?.getTime();
    if (t !== undefined && t > upTo) t = cronOf(c).previousRuns(2, new Date(upTo + 1000))[1]?.getTime();
  }
  return t !== undefined && t > after && t <= upTo ? t : undefined;
}

/**
 * Cron and interval schedules on the injected clock. Every process running the trigger arms the same
 * tick; the INSERT into trigger_ticks decides which one fires it (the per-tick job key), and the tick
 * time is the execution's idempotency key as well.
 */
export const scheduleSource: TriggerSource = {
  type: 'schedule',
  configSchema: ScheduleConfigSchema,
  check: (config) => scheduleProblems(config as ScheduleConfig),
  async start(ctx) {
    const c = ctx.binding.config as ScheduleConfig;
    let stopped = false;
    let timer: unknown;
    /** Ticks that failed while the database was down: the latest waits for it, the others are skipped (logged). */
    let outage: { latest: number; ticks: number } | undefined;
    const fireTick = async (tick: number, misfire: boolean, claimed = false): Promise<void> => {
      try {
        // A retry after an outage keeps the claim it made: the row is ours even if the start failed,
        // and the execution's key (the tick) makes the retry start it once.
        if (!claimed) claimed = await ctx.claimTick(tick);
        if (!claimed) return;
        const input = { scheduled_at: new Date(tick).toISOString(), fired_at: new Date(ctx.clock.now()).toISOString(), misfire, cron: c.cron ?? null, interval_seconds: c.interval_seconds ?? null, timezone: c.timezone };
        await ctx.fire({ input, key: `tick:${new Date(tick).toISOString()}` });
      } catch (err) {
        if (!stopped && (await waitOutOutage(tick, err))) return fireTick(tick, misfire, claimed);
        ctx.log('error', 'schedule tick could not start an execution', { tick: new Date(tick).toISOString(), err: String(err) });
      }
    };
    /** True for the one tick to fire again once the database is back: the latest of those that failed meanwhile. */
    const waitOutOutage = async (tick: number, err: unknown): Promise<boolean> => {
      const first = outage === undefined;
      const o = outage ?? { latest: tick, ticks: 0 };
      outage = o;
      o.ticks++;
      if (tick > o.latest) o.latest = tick;
      const back = await ctx.afterOutage(err);
      if (first) {
        outage = undefined;
        if (back && o.ticks > 1) ctx.log('warn', `skipped ${o.ticks - 1} schedule tick(s) while the database was unavailable; firing the latest`, { latest: new Date(o.latest).toISOString() });
      }
      return back && !stopped && o.latest === tick;
    };
    const arm = (from: number): void => {
      if (stopped) return;
      const next = nextTicks(c, from, 1)[0];
      if (next === undefined) return;
      const wait = (): void => {
        timer = ctx.clock.setTimer(() => {
          const now = ctx.clock.now();
          // Timers run on elapsed time; the tick is on the wall clock. Set back meanwhile: not due yet.
          if (now < next) return wait();
          // Set forward past more ticks than this one: the latest due fires, the ones between are
          // missed, and said so. Either way no tick fires twice: the next is armed after it.
          const due = lastMissedTick(c, next, now) ?? next;
          if (due !== next) {
            const skipped = nextTicks(c, next - 1, 10_000).filter((t) => t < due).length;
            ctx.log('warn', `the clock jumped forward past ${skipped} schedule tick(s); firing the latest`, { from: new Date(next).toISOString(), to: new Date(due).toISOString() });
          }
          arm(due);
          void fireTick(due, due !== next);
        }, next - ctx.clock.now());
      };
      wait();
    };
    await misfire(ctx, c, fireTick);
    arm(ctx.clock.now());
    return {
      stop: () => {
        stopped = true;
        ctx.clock.clearTimer(timer);
        return Promise.resolve();
      },
    };
  },
};

async function misfire(ctx: TriggerContext, c: ScheduleConfig, fireTick: (t: number, misfire: boolean) => Promise<void>): Promise<void> {
  if (c.misfire !== 'run_once') return;
  const last = await ctx.lastTick();
  if (last === undefined) return;
  const missed = lastMissedTick(c, last, ctx.clock.now());
  if (missed !== undefined) await fireTick(missed, true);
}
