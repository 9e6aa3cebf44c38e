/**
 * The few shapes both types.ts and ops-types.ts build on, here so neither imports the other
 * (types.ts re-exports everything; import from './types').
 */
export const ROLES = ['viewer', 'operator', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type JsonObject = Record<string, unknown>;
