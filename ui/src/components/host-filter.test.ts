import { describe, expect, it } from 'vitest';
import { allTags, filterHosts, targetsFor, toggleTag } from './host-filter';

const hosts = [
  { name: 'web-1', address: '10.0.0.11', tags: ['web', 'prod'] },
  { name: 'web-2', address: '10.0.0.12', tags: ['web', 'staging'] },
  { name: 'db-1', address: 'db1.internal', tags: ['db', 'prod'] },
];

describe('host filter', () => {
  it('offers every tag once, sorted', () => {
    expect(allTags(hosts)).toEqual(['db', 'prod', 'staging', 'web']);
    expect(allTags([])).toEqual([]);
  });

  it('shows hosts carrying every selected tag, narrowed by name or address', () => {
    expect(filterHosts(hosts, [], '').map((h) => h.name)).toEqual(['web-1', 'web-2', 'db-1']);
    expect(filterHosts(hosts, ['prod'], '').map((h) => h.name)).toEqual(['web-1', 'db-1']);
    expect(filterHosts(hosts, ['prod', 'web'], '').map((h) => h.name)).toEqual(['web-1']);
    expect(filterHosts(hosts, [], 'DB1.').map((h) => h.name)).toEqual(['db-1']);
    expect(filterHosts(hosts, ['staging'], 'web-1')).toEqual([]);
  });

  it('toggles chips and gives the targets of the selection', () => {
    expect(toggleTag(['web'], 'prod')).toEqual(['prod', 'web']);
    expect(toggleTag(['prod', 'web'], 'web')).toEqual(['prod']);
    expect(targetsFor(['prod', 'web'])).toBe('{"targets":{"tags":["prod","web"]}}');
  });
});
