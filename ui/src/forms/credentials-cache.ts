import { credentials } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { Credential } from '../api/types';

/** The credentials, or why they could not be read (a viewer may not list them). */
export type CredentialList = { readonly items: readonly Credential[]; readonly error?: undefined } | { readonly items: readonly []; readonly error: string };

let cached: Promise<CredentialList> | undefined;

/** The credentials list, fetched once per page view for every picker on it; `refresh` after a change. */
export function loadCredentials(refresh = false): Promise<CredentialList> {
  if (!cached || refresh) cached = credentials.list().then((p) => ({ items: p.items }), (err: unknown) => ({ items: [] as const, error: errorMessage(err) }));
  return cached;
}
