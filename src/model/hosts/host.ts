import { Type, type Static } from '@sinclair/typebox';

/**
 * A host of the inventory (`/automation/hosts`): where fleet steps (`targets`) connect over SSH.
 * Names and tags are data, matched as whole strings and never spliced into a command.
 */
export const HOST_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';
export const TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$';
/** Hosts one import may hold: an inventory, not a data dump. */
export const MAX_IMPORT_HOSTS = 5000;

const HostName = Type.String({ pattern: HOST_NAME_PATTERN, description: 'Unique name: letters, digits, `.`, `_`, `-`' });
const Tag = Type.String({ pattern: TAG_PATTERN });

export const HostFields = {
  name: HostName,
  address: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_-]+$', description: 'DNS name, IPv4 or IPv6 address (no brackets) SSH connects to' }),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535, default: 22 })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 64, uniqueItems: true, default: [] })),
  ssh_credential_id: Type.String({ minLength: 1, maxLength: 200, description: 'An ssh_key credential (id or name): user, key and pinned host keys' }),
  attributes: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$' }), Type.String({ maxLength: 1024 }), {
    maxProperties: 64, description: 'Free key/value facts (os, rack, role...); shown, never executed',
  })),
};

export const HostInput = Type.Object(HostFields, { additionalProperties: false });
export type HostInput = Static<typeof HostInput>;

export interface Host {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  readonly ssh_credential_id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly created_at: number;
  readonly updated_at: number;
}

/** Which hosts a fleet step runs on: every host carrying all `tags` plus every host named, less `exclude_names`. */
export const HostTargets = Type.Object(
  {
    tags: Type.Optional(Type.Array(Tag, { maxItems: 32, description: 'Hosts carrying every one of these tags' })),
    names: Type.Optional(Type.Array(HostName, { maxItems: 5000, description: 'Hosts by name (an unknown name fails the step)' })),
    exclude_names: Type.Optional(Type.Array(HostName, { maxItems: 5000, description: 'Hosts left out (a canary already done, a host under maintenance)' })),
  },
  { additionalProperties: false, description: 'Run on every matching inventory host instead of one' },
);
export type HostTargets = Static<typeof HostTargets>;
