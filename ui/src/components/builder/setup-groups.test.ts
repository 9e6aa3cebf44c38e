import { describe, expect, it } from 'vitest';
import { setupGroups } from './setup-groups';

const missing = (node: string, id: string) => ({ code: 'credential_missing', message: `credential "${id}" does not exist`, node_id: node, credential_id: id, credential_type: 'database' });

describe('setupGroups', () => {
  it('asks once for a credential that several steps name (Backup and Recovery names primary-db twice)', () => {
    const g = setupGroups([missing('backup', 'primary-db'), missing('verify', 'primary-db'), missing('notify', 'slack-ops')]);
    expect(g.credentials.map((p) => p.credential_id)).toEqual(['primary-db', 'slack-ops']);
  });

  it('keeps settings and other problems apart from credentials', () => {
    const setting = { code: 'service_not_allowed', message: 'nginx is not allowed', setting: 'ITW_RESTART_ALLOWED_SERVICES' };
    const other = { code: 'trigger_config_invalid', message: 'auth.token is required', path: '/nodes/0/config/auth/token' };
    const g = setupGroups([setting, other, missing('a', 'x')]);
    expect(g).toEqual({ credentials: [missing('a', 'x')], settings: [setting], other: [other] });
  });
});
