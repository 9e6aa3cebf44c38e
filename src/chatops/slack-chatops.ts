import { baseUrlField, credentialError, optionalField, requiredField } from '../actions/communication/credential-fields.js';
import { withSecretsMasked } from '../actions/communication/secrets.js';
import { postChatMessage, postToResponseUrl, updateChatMessage } from '../actions/communication/slack-client.js';
import { bindingOf, checkCredentialHost } from '../actions/http/credential-binding.js';
import type { EgressGuard } from '../actions/http/egress-guard.js';
import type { CredentialResolver, ResolvedCredential } from '../model/credentials.js';
import { ItwError } from '../model/errors.js';

const DEFAULT_BASE_URL = 'https://slack.com';

export interface SlackChatOpsOptions {
  /** The slack credential named by ITW_SLACK_CREDENTIAL; undefined: ChatOps is off. */
  readonly credentialId: string | undefined;
  readonly credentials: CredentialResolver;
  readonly egress: EgressGuard;
  /** Longest a Slack call may take (ITW_SLACK_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

/**
 * The server's one Slack app: its bot token posts and updates approval messages, its signing secret
 * verifies what Slack sends back. Every call opens the credential anew (a rotated secret applies at
 * once) and goes out through the app's egress policy, bound to the credential's hosts.
 */
export class SlackChatOps {
  constructor(private readonly opts: SlackChatOpsOptions) {}

  get enabled(): boolean {
    return this.opts.credentialId !== undefined;
  }

  private async credential(): Promise<ResolvedCredential> {
    if (this.opts.credentialId === undefined) throw new ItwError('not_found', 'Slack ChatOps is not configured on this server (ITW_SLACK_CREDENTIAL)');
    return this.opts.credentials.get(this.opts.credentialId, ['slack']);
  }

  /** The signing secret, for the ingress check only; the vault registered it with the redactor. */
  async signingSecret(): Promise<string> {
    const cred = await this.credential();
    const secret = optionalField(cred, 'signing_secret');
    if (secret === undefined) throw credentialError(cred, 'has no signing_secret: Slack requests cannot be verified');
    return secret;
  }

  private io(): { signal: AbortSignal; egress: EgressGuard } {
    return { signal: AbortSignal.timeout(this.opts.timeoutMs), egress: this.opts.egress };
  }

  private async bot(): Promise<{ token: string; baseUrl: string }> {
    const cred = await this.credential();
    return { token: requiredField(cred, 'bot_token'), baseUrl: baseUrlField(cred, 'base_url', DEFAULT_BASE_URL) };
  }

  async post(channel: string, message: { text: string; blocks: unknown[] }): Promise<{ channel: string; ts: string }> {
    const { token, baseUrl } = await this.bot();
    return withSecretsMasked([token], async () => {
      const posted = await postChatMessage(baseUrl, token, { channel, ...message }, this.io());
      return { channel: posted.channel, ts: posted.ts };
    });
  }

  async update(channel: string, ts: string, message: { text: string; blocks: unknown[] }): Promise<void> {
    const { token, baseUrl } = await this.bot();
    await withSecretsMasked([token], () => updateChatMessage(baseUrl, token, { channel, ts, ...message }, this.io()));
  }

  /**
   * Answers through a `response_url` from a verified request. It is still checked against the
   * credential's hosts (hooks.slack.com, or its base URL), so no request can make us post elsewhere.
   */
  async respond(responseUrl: string, message: { text: string; response_type: 'ephemeral' | 'in_channel'; replace_original?: boolean; blocks?: unknown[] }): Promise<void> {
    const cred = await this.credential();
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      throw new ItwError('bad_request', 'response_url is not a URL');
    }
    checkCredentialHost(bindingOf(cred), url.hostname, url.port, url.protocol, this.opts.egress);
    await postToResponseUrl(url.toString(), message, this.io());
  }
}
