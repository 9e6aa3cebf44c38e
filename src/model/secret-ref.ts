/**
 * A reference to a secret sealed in the vault, standing where a clear secret would otherwise be
 * stored: trigger secrets and tokens, defaults and overrides of variables declared `secret`.
 * Definitions, trigger rows, exports and execution rows carry these, never the values; a
 * reference resolves only for the workflow that owns it.
 */
export const SECRET_REF_PREFIX = '$vault:';

const REF = /^\$vault:(sec_[A-Za-z0-9_-]+)$/;

export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && REF.test(value);
}

export function secretRef(id: string): string {
  return `${SECRET_REF_PREFIX}${id}`;
}

export function secretRefId(ref: string): string | undefined {
  return REF.exec(ref)?.[1];
}

/** Seals and opens secrets for one owner (a workflow id). The vault implements it. */
export interface SecretKeeper {
  /** Stores `value` sealed and returns its reference. */
  seal(owner: string, value: unknown): Promise<string>;
  /** The value behind a reference of this owner; undefined when unknown here or owned by another workflow. */
  open(owner: string, ref: string): Promise<unknown>;
}
