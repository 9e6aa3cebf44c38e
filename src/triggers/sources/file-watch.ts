import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { watch } from 'chokidar';
import { globToRegExp } from '../glob.js';
import type { TriggerSource } from '../trigger-source.js';

const EVENTS = ['add', 'change', 'unlink'] as const;
type FileEvent = (typeof EVENTS)[number];

export const FileWatchConfigSchema = Type.Object({
  /** An absolute directory on the server. */
  path: Type.String({ minLength: 1 }),
  /** Files under `path` that count, relative to it: `**\/*.csv`, `incoming/*.{json,yaml}`. */
  glob: Type.String({ minLength: 1, default: '**/*' }),
  events: Type.Array(Type.Union(EVENTS.map((e) => Type.Literal(e))), { minItems: 1, default: ['add', 'change'] }),
  /** Events of one file within this window fire once, with the last event. */
  debounce_ms: Type.Integer({ minimum: 0, maximum: 600_000, default: 200 }),
  /** > 0: a file fires only once its size has not changed for this long (still being written). */
  stable_ms: Type.Integer({ minimum: 0, maximum: 600_000, default: 0 }),
  /** Files already there at start fire `add` too (deduplicated by name and mtime, so a restart fires nothing twice). */
  process_existing: Type.Boolean({ default: false }),
});
export type FileWatchConfig = Static<typeof FileWatchConfigSchema>;

/**
 * chokidar on a directory: add/change/unlink of files matching a glob, debounced per file, with
 * "stable" detection (awaitWriteFinish) for files still being written. The key is event + path +
 * mtime, so the same file state never starts two executions.
 */
export const fileWatchSource: TriggerSource = {
  type: 'file_watch',
  configSchema: FileWatchConfigSchema,
  check: (config) => (isAbsolute((config as FileWatchConfig).path) ? [] : ['/path: must be absolute']),
  // Every process watching the directory would see each file.
  singleton: true,
  async start(ctx) {
    const c = ctx.binding.config as FileWatchConfig;
    const info = await stat(c.path);
    if (!info.isDirectory()) throw new Error(`${c.path} is not a directory`);
    const match = globToRegExp(c.glob);
    const pending = new Map<string, { event: FileEvent; timer: unknown }>();
    const mtimes = new Map<string, number>();
    const fire = async (rel: string, event: FileEvent, abs: string): Promise<void> => {
      let size: number | null = null;
      let mtime: number;
      if (event === 'unlink') mtime = mtimes.get(rel) ?? ctx.clock.now();
      else {
        try {
          const s = await stat(abs);
          size = s.size;
          mtime = s.mtimeMs;
          mtimes.set(rel, mtime);
        } catch {
          return; // gone again before we looked: its unlink follows
        }
      }
      if (event === 'unlink') mtimes.delete(rel);
      const input = { event, path: abs, relative_path: rel, size, mtime: new Date(mtime).toISOString() };
      for (;;) {
        try {
          await ctx.fire({ input, key: `${event}:${rel}:${Math.round(mtime)}` });
          return;
        } catch (err) {
          // The database was down: the event is not seen again, so it waits; its key makes the retry start once.
          if (await ctx.afterOutage(err)) continue;
          ctx.log('error', 'file_watch could not start an execution', { path: abs, err: String(err) });
          return;
        }
      }
    };
    const onEvent = (event: FileEvent, abs: string): void => {
      const rel = relative(c.path, abs).split(sep).join('/');
      if (!c.events.includes(event) || !match.test(rel)) return;
      const prev = pending.get(rel);
      if (prev) ctx.clock.clearTimer(prev.timer);
      // add then change inside one window is still a new file.
      const effective: FileEvent = prev?.event === 'add' && event === 'change' ? 'add' : event;
      if (c.debounce_ms === 0) return void fire(rel, effective, abs);
      const timer = ctx.clock.setTimer(() => {
        pending.delete(rel);
        void fire(rel, effective, abs);
      }, c.debounce_ms);
      pending.set(rel, { event: effective, timer });
    };
    const watcher = watch(c.path, {
      ignoreInitial: !c.process_existing,
      persistent: true,
      ...(c.stable_ms > 0 ? { awaitWriteFinish: { stabilityThreshold: c.stable_ms, pollInterval: Math.max(10, Math.min(100, Math.floor(c.stable_ms / 4))) } } : {}),
    });
    for (const e of EVENTS) watcher.on(e, (p: string) => onEvent(e, p));
    watcher.on('error', (err: unknown) => ctx.failed(err));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    return {
      async stop() {
        for (const p of pending.values()) ctx.clock.clearTimer(p.timer);
        pending.clear();
        await watcher.close();
      },
    };
  },
};
