import { NotFoundError } from './errors.js';

/** A credential's secret fields, decrypted only for the step that asked for it. */
export interface ResolvedCredential {
  readonly id: string;
  /** `slack`, `twilio`, `smtp`, `http_bearer`, `database`, `ssh_key`, `jira`... */
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
  /**
   * Hosts the secret may be sent to (exact, `*.domain`, optional `:port`): the credential's own
   * `allowed_hosts`, else its type's defaults (model/credential-hosts.ts). Empty: nowhere.
   * Undefined (resolvers other than the vault): the type's defaults.
   */
  readonly allowed_hosts?: readonly string[];
}

/**
 * Resolves credential ids named in params. Every value it hands out is registered for redaction, so
 * it never reaches stored inputs, outputs, logs or errors.
 */
export interface CredentialResolver {
  get(id: string, allowedTypes?: readonly string[]): Promise<ResolvedCredential>;
}

/** Used until a vault is wired in: every lookup fails with a clear message. */
export const noCredentials: CredentialResolver = {
  get: (id) => Promise.reject(new NotFoundError('credential', id)),
};
