import { describe, expect, it } from 'vitest';
import { indexRow, numberDigits, parseTime, parseVersion, versionCode, versionPrefix } from '../../../src/filter/indexed-row.js';
import type { DeviceRow } from '../../../src/rpc/contract.js';
import { makePhone } from '../../daemon/views/view-data.js';

describe('versions', () => {
  it('reads the leading numbers of a version string', () => {
    expect(parseVersion('17.4.1')).toEqual([17, 4, 1]);
    expect(parseVersion('14')).toEqual([14]);
    expect(parseVersion('v10.0 (build 1)')).toEqual([10, 0]);
    expect(parseVersion('')).toBeNull();
    expect(parseVersion('Unknown')).toBeNull();
  });

  it('codes versions as numbers that order like the versions', () => {
    const ordered = [[9, 3], [10], [10, 0, 1], [16, 2], [16, 10], [17, 4, 1]].map(versionCode);
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
    expect(versionCode([17])).toBe(versionCode([17, 0, 0]));
  });

  it('cuts a version code to a precision', () => {
    const code = versionCode([17, 4, 1]);
    expect(versionPrefix(code, 1)).toBe(17);
    expect(versionPrefix(code, 2)).toBe(versionPrefix(versionCode([17, 4]), 2));
    expect(versionPrefix(code, 3)).toBe(code);
  });
});

describe('times and numbers', () => {
  it('reads ISO times as epoch ms and empty or bad ones as never', () => {
    expect(parseTime('2024-06-01T00:00:00Z')).toBe(Date.UTC(2024, 5, 1));
    expect(parseTime('')).toBeNull();
    expect(parseTime('yesterday')).toBeNull();
  });

  it('keeps only the digits of a phone number', () => {
    expect(numberDigits('+1 (555) 010-0000')).toBe('15550100000');
  });
});

describe('indexRow', () => {
  const row: DeviceRow = {
    ...makePhone('DP1', ['U-a', 'U-b'], {
      name: "Alice's iPad",
      number: '+1 555 0100',
      model: 'iPad Air',
      platform: 'apple ios',
      os_version: '17.4',
      encrypted: 'Unencrypted',
      tampered: 'Not Tampered',
      last_seen: '2024-05-01T00:00:00Z',
    }),
    user_refs: [
      { user_id: 'U-a', username: 'Alice', alias: 'phone1' },
      { user_id: 'U-b', username: 'bob', alias: 'phone2' },
    ],
    shared: true,
  };

  it('prepares each filter field of a device', () => {
    const { values } = indexRow('devices', row);
    expect(values).toMatchObject({
      platform: 'apple ios',
      type: 'mobile',
      os: versionCode([17, 4]),
      model: 'ipad air',
      name: "alice's ipad",
      number: '15550100',
      encrypted: 'no',
      fingerprint: 'unknown',
      tampered: 'no',
      activated: true,
      shared: true,
      user: ['alice', 'bob'],
      users: 2,
      last_seen: Date.UTC(2024, 4, 1),
      id: 'dp1',
    });
  });

  it('puts the searchable fields, lower-cased, one per line in the free text', () => {
    const lines = indexRow('devices', row).text.split('\n');
    expect(lines).toEqual(expect.arrayContaining(['dp1', "alice's ipad", '+1 555 0100', 'ipad air', 'apple ios', '17.4', 'alice', 'bob']));
  });

  it('prepares a device without version or last_seen as none', () => {
    const { values } = indexRow('devices', { ...row, os_version: '', last_seen: '' });
    expect(values.os).toBeNull();
    expect(values.last_seen).toBeNull();
  });
});
