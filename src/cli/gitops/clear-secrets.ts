import { isSecretRef } from '../../model/secret-ref.js';
import { triggerSecretPaths } from '../../model/trigger-secret-fields.js';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Where a definition holds a secret in clear: the default of a variable declared `secret`, a
 * trigger node's token, password, HMAC secret or routing key. Files hold `$vault:` references
 * (what `itw pull` writes); a clear value is refused before anything is sent, so it never reaches
 * the server, its logs or its history from a repository.
 */
export function clearSecretPaths(definition: unknown): string[] {
  if (!isObj(definition)) return [];
  const found: string[] = [];
  const variables = Array.isArray(definition['variables']) ? definition['variables'] : [];
  variables.forEach((v, i) => {
    if (isObj(v) && v['secret'] === true && v['default'] !== undefined && v['default'] !== null && !isSecretRef(v['default'])) found.push(`/variables/${i}/default`);
  });
  const nodes = Array.isArray(definition['nodes']) ? definition['nodes'] : [];
  nodes.forEach((n, i) => {
    if (!isObj(n) || n['node_type'] !== 'trigger' || !isObj(n['config'])) return;
    const config = n['config'];
    for (const path of triggerSecretPaths(String(config['trigger_type']))) {
      const value = path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), config);
      if (value !== undefined && value !== null && value !== '' && !isSecretRef(value)) found.push(`/nodes/${i}/config/${path.join('/')}`);
    }
  });
  return found;
}
