import { createHash } from 'node:crypto';
import type { ConcurrencySetting } from '../model/types.js';
import { resolveConfig } from './expressions.js';
import type { Bindings } from './node-handler.js';

/** Longer values are stored as their SHA-256 (same value, same key; the column stays small). */
const MAX_KEY_CHARS = 200;

/**
 * The value of `settings.concurrency.key` for one execution: the template is evaluated (JSONata, in
 * its sandbox) against the start's bindings and the result is only ever data: a string compared
 * with bound parameters, never code. A missing value is the empty key (one queue of its own).
 */
export async function concurrencyKeyOf(setting: ConcurrencySetting, b: Omit<Bindings, 'input' | 'nodes'>): Promise<string> {
  const resolved = await resolveConfig({ key: setting.key }, [], { ...b, input: b.trigger, nodes: {} });
  const v = resolved['key'];
  const text = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_KEY_CHARS ? `sha256:${createHash('sha256').update(text).digest('hex')}` : text;
}
