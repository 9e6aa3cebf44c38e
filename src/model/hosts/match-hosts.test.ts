import { describe, expect, it } from 'vitest';
import type { Host } from './host.js';
import { matchHosts } from './match-hosts.js';

const host = (name: string, tags: string[]): Host => ({ id: `host_${name}`, name, address: `${name}.example.com`, port: 22, tags, ssh_credential_id: 'k', attributes: {}, created_at: 0, updated_at: 0 });
const inventory = [host('web-2', ['web', 'prod']), host('db-1', ['db', 'prod']), host('web-1', ['web', 'prod']), host('web-3', ['web', 'staging'])];
const names = (t: Parameters<typeof matchHosts>[1]) => matchHosts(inventory, t).hosts.map((h) => h.name);

describe('matchHosts', () => {
  it('takes hosts carrying every tag, by name', () => {
    expect(names({ tags: ['web'] })).toEqual(['web-1', 'web-2', 'web-3']);
    expect(names({ tags: ['web', 'prod'] })).toEqual(['web-1', 'web-2']);
  });

  it('puts named hosts first in the order given, each host once, less the excluded', () => {
    expect(names({ names: ['web-2', 'db-1'], tags: ['prod'] })).toEqual(['web-2', 'db-1', 'web-1']);
    expect(names({ tags: ['prod'], exclude_names: ['web-1', 'db-1'] })).toEqual(['web-2']);
  });

  it('selects nothing from an empty targets, and reports unknown names', () => {
    expect(names({})).toEqual([]);
    expect(names({ tags: [] })).toEqual([]);
    expect(matchHosts(inventory, { names: ['web-1', 'gone'] }).unknownNames).toEqual(['gone']);
  });

  it('matches tags as whole strings: no patterns, no injection', () => {
    expect(names({ tags: ['we*'] })).toEqual([]);
    expect(names({ tags: ['web; rm -rf /'] })).toEqual([]);
  });
});
