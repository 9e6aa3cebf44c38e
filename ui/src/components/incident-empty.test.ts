import { describe, expect, it } from 'vitest';
import { incidentEmptyState } from './incident-empty';

describe('incidentEmptyState', () => {
  it('names the filter, and says all quiet only when nothing is open', () => {
    expect(incidentEmptyState('Resolved', 2)).toEqual({ title: 'No resolved incidents', body: '2 incidents are open: see Open.' });
    expect(incidentEmptyState('Resolved', 0)).toEqual({ title: 'No resolved incidents', body: 'All quiet.' });
    expect(incidentEmptyState('Open', 0)).toEqual({ title: 'No open incidents', body: 'All quiet.' });
    expect(incidentEmptyState('All', 0).title).toBe('No incidents');
    expect(incidentEmptyState('Acknowledged', 1).body).toBe('1 incident is open: see Open.');
  });
});
