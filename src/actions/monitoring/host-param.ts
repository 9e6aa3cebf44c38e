import { isIP } from 'node:net';
import { invalidParam } from '../communication/invalid-param.js';

// RFC 1123 labels; a leading '-' would make a host an option to the programs it is passed to (ping).
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/** A host name or IP address (IPv6 with or without brackets), else `invalid_params` naming `path`. */
export function hostParam(actionId: string, path: string, raw: string): string {
  const host = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 || HOST_NAME.test(host)) return host;
  throw invalidParam(actionId, path, 'must be a host name or an IP address');
}

/** JSON schema fragment for a host param (the run-time check above is the authority). */
export const HOST_PATTERN = '^[A-Za-z0-9_\\[:][A-Za-z0-9_.:\\[\\]%-]*$';
