import type { CredentialResolver } from '../../model/credentials.js';
import { baseUrlField } from './credential-fields.js';

/** A chat service's incoming webhook: the URL is the secret (its path or query carries the token). */
export interface ChatWebhook {
  readonly url: string;
  /** What to mask in errors: the path and the query, so messages keep the host. */
  readonly secrets: readonly string[];
}

/** Path and query of a webhook URL, the parts that authenticate it. */
export function webhookSecrets(url: string): string[] {
  if (!URL.canParse(url)) return [url];
  const parsed = new URL(url);
  const secrets = [...parsed.searchParams.values(), parsed.search];
  if (parsed.pathname.length > 1) secrets.push(parsed.pathname.slice(1));
  return secrets;
}

/** The credential's `webhook_url`, checked to be an absolute http(s) URL. */
export async function chatWebhook(credentials: CredentialResolver, credentialId: string, type: string): Promise<ChatWebhook> {
  const cred = await credentials.get(credentialId, [type]);
  const url = baseUrlField(cred, 'webhook_url');
  return { url, secrets: webhookSecrets(url) };
}
