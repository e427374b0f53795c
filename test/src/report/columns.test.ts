import { describe, expect, it } from 'vitest';
import { reportColumns } from '../../../src/report/columns.js';
import { ENTITIES, type EntityName } from '../../../src/rpc/contract.js';
import { FactordeskError } from '../../../src/errors.js';

const keys = (entity: EntityName) => reportColumns(entity).map((c) => c.key);

describe('reportColumns', () => {
  it('lists exactly the allowlisted device columns, in order', () => {
    expect(keys('devices')).toEqual([
      'phone_id', 'name', 'number', 'extension', 'type', 'platform', 'model', 'os_version', 'activated',
      'encrypted', 'fingerprint', 'screenlock', 'tampered', 'last_seen', 'users', 'shared',
    ]);
  });

  it('lists exactly the allowlisted columns of users, tokens, U2F, administrators and audit', () => {
    expect(keys('users')).toEqual(['user_id', 'username', 'realname', 'email', 'status', 'phone_count', 'token_count', 'u2f_count']);
    expect(keys('tokens')).toEqual(['token_id', 'serial', 'type', 'totp_step', 'origin', 'usernames', 'admin_names']);
    expect(keys('u2f')).toEqual(['registration_id', 'kind', 'username', 'user_id', 'credential_name', 'label', 'date_added']);
    expect(keys('admins')).toEqual(['admin_id', 'name', 'email', 'role', 'status', 'token_serials']);
    expect(keys('audit')).toEqual(['event_id', 'time', 'admin_id', 'admin_name', 'action', 'entity', 'entity_id', 'summary']);
  });

  it('has no column that could carry a secret and no repeated key', () => {
    for (const entity of ENTITIES) {
      const k = keys(entity);
      expect(new Set(k).size).toBe(k.length);
      for (const key of k) expect(key).not.toMatch(/secret|seed|aes|password|private|counter/i);
    }
  });

  it('refuses an unknown entity with INVALID_INPUT', () => {
    expect(() => reportColumns('bogus' as EntityName)).toThrow(FactordeskError);
    try {
      reportColumns('bogus' as EntityName);
    } catch (e) {
      expect((e as FactordeskError).code).toBe('INVALID_INPUT');
    }
  });
});
