import { credentials } from '../api/endpoints';
import type { Credential } from '../api/types';

let cached: Promise<{ items: readonly Credential[]; available: boolean }> | undefined;

/** The credentials list, fetched once per page view for every picker on it; `refresh` after a change. */
export function loadCredentials(refresh = false): Promise<{ items: readonly Credential[]; available: boolean }> {
  if (!cached || refresh) cached = credentials.list().catch(() => ({ items: [], available: false }));
  return cached;
}
