/**
 * Where each trigger type keeps secrets in its config. These fields are sealed into the vault
 * before a config is stored (trigger rows and trigger nodes alike), shown through the API only as
 * `<field>_set: true`, and opened when the trigger starts.
 */
const INGRESS_AUTH = [['auth', 'token'], ['auth', 'password'], ['auth', 'secret']] as const;

const SECRET_PATHS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = {
  webhook: INGRESS_AUTH,
  alert: [...INGRESS_AUTH, ['routing_key']],
  deployment: [['secret']],
  email: [['imap', 'password']],
};

export function triggerSecretPaths(type: string): ReadonlyArray<readonly string[]> {
  return SECRET_PATHS[type] ?? [];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `config` with each secret field passed through `fn` (undefined removes the field);
 * fields that are absent stay absent.
 */
export async function mapTriggerSecrets(
  type: string, config: Readonly<Obj>, fn: (value: unknown, path: readonly string[]) => Promise<unknown>,
): Promise<Obj> {
  const out = structuredClone(config) as Obj;
  for (const path of triggerSecretPaths(type)) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), out);
    const leaf = path[path.length - 1]!;
    if (!isObj(parent) || !(leaf in parent)) continue;
    const next = await fn(parent[leaf], path);
    if (next === undefined) delete parent[leaf];
    else parent[leaf] = next;
  }
  return out;
}

/** What the API shows of a config: each secret field replaced by `<field>_set: true`. */
export function maskTriggerSecrets(type: string, config: Readonly<Obj>): Obj {
  const out = structuredClone(config) as Obj;
  for (const path of triggerSecretPaths(type)) {
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), out);
    const leaf = path[path.length - 1]!;
    if (!isObj(parent) || !(leaf in parent)) continue;
    const set = parent[leaf] !== undefined && parent[leaf] !== null && parent[leaf] !== '';
    delete parent[leaf];
    parent[`${leaf}_set`] = set;
  }
  return out;
}
