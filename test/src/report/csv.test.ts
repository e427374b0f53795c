import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { guardCell, toCsv } from '../../../src/report/csv.js';
import { adminRow, auditRow, deviceRow, hotpRow, landlineRow, tokenRow, u2fRow, userRow } from './fixtures.js';

const lines = (csv: string) => csv.split('\n');

describe('toCsv', () => {
  it('writes a header and one record per device, with Duo labels, aliases and RFC 4180 quoting', () => {
    expect(toCsv('devices', [deviceRow, landlineRow])).toBe(
      [
        'phone_id,name,number,extension,type,platform,model,os_version,activated,encrypted,fingerprint,screenlock,tampered,last_seen,users,shared',
        `DPFZRS9FB0D46QFTM899,"Alice's iPhone, work",+15552010100,,Mobile,Apple iOS,iPhone 15,17.5.1,true,Encrypted,Configured,Locked,Not Tampered,2025-05-30T08:15:00.000Z,alice (phone1); bob (phone2),true`,
        'DPLANDLINE0000000000,Front desk,+15553000001,1234,Landline,Unknown,Unknown,,false,Unknown,Unknown,Unknown,Unknown,,alice (phone2),false',
        '',
      ].join('\n'),
    );
  });

  it('writes users with doubled inner quotes and counts as numbers', () => {
    expect(lines(toCsv('users', [userRow]))).toEqual([
      'user_id,username,realname,email,status,phone_count,token_count,u2f_count',
      'DUAAAAAAAAAAAAAAAAAA,alice,"Alice ""Al"" Smith",alice@example.com,locked out,2,1,0',
      '',
    ]);
  });

  it('writes tokens with joined user and administrator names, and no step for non-TOTP tokens', () => {
    expect(lines(toCsv('tokens', [tokenRow, hotpRow]))).toEqual([
      'token_id,serial,type,totp_step,origin,usernames,admin_names',
      'DH0123456789ABCDEFGH,T2C000000042,t6,30,third-party,alice; bob,Olga Owner',
      'DH9999999999999999AA,1000000001,d1,,vendor,,',
      '',
    ]);
  });

  it('writes U2F, administrators and audit with times as ISO 8601', () => {
    expect(lines(toCsv('u2f', [u2fRow]))[1]).toBe(
      'DRAAAAAAAAAAAAAAAAAA,webauthn,alice,DUAAAAAAAAAAAAAAAAAA,YubiKey 5 NFC,Work key,2024-06-01T12:00:00.000Z',
    );
    expect(lines(toCsv('admins', [adminRow]))).toEqual([
      'admin_id,name,email,role,status,token_serials',
      'DEAAAAAAAAAAAAAAAAAA,Olga Owner,olga@example.com,Owner,Active,T2C000000042; C20000000007',
      '',
    ]);
    expect(lines(toCsv('audit', [auditRow]))[1]).toBe(
      '00lxyz12340000000000,2024-06-01T12:00:00.123Z,DEAAAAAAAAAAAAAAAAAA,Olga Owner,phones.delete,phone,DPFZRS9FB0D46QFTM899,"deleted +15552010100 (alice phone1, bob phone2)"',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv('users', [])).toBe('user_id,username,realname,email,status,phone_count,token_count,u2f_count\n');
  });

  it('leaves out fields that are not report columns, such as a stray secret', () => {
    const leaky = { ...tokenRow, secret: 'JBSWY3DPEHPK3PXP', aes_key: '00112233' };
    const csv = toCsv('tokens', [leaky]);
    expect(csv).not.toContain('JBSWY3DPEHPK3PXP');
    expect(csv).not.toContain('00112233');
  });

  it('quotes cells with line breaks so a record stays one record', () => {
    const csv = toCsv('users', [{ ...userRow, realname: 'two\nlines', email: 'cr\rhere' }]);
    expect(csv).toContain('"two\nlines","cr\rhere"');
  });

  it('guards formula cells and leaves phone numbers and signed numbers alone', () => {
    const csv = toCsv('users', [
      { ...userRow, username: '=HYPERLINK("http://x.test","click")', realname: '@SUM(A1)', email: '+cmd|/C calc!A0', status: 'active' },
      { ...userRow, username: '-2+3', realname: '\tindented', email: '+15551234567' },
    ]);
    expect(lines(csv)[1]).toBe(
      `DUAAAAAAAAAAAAAAAAAA,"'=HYPERLINK(""http://x.test"",""click"")",'@SUM(A1),'+cmd|/C calc!A0,active,2,1,0`,
    );
    expect(lines(csv)[2]).toBe(`DUAAAAAAAAAAAAAAAAAA,'-2+3,'\tindented,+15551234567,locked out,2,1,0`);
    // The device number column is never touched.
    expect(toCsv('devices', [deviceRow])).toContain(',+15552010100,');
  });
});

describe('guardCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['+A1', "'+A1"],
    ['-A1', "'-A1"],
    ['-', "'-"],
    ['+15551234567', '+15551234567'],
    ['+1 555 0100', '+1 555 0100'],
    ['-42', '-42'],
    ['-1.5', '-1.5'],
    ['alice', 'alice'],
    ['', ''],
    ['a=b', 'a=b'],
  ])('%j → %j', (cell, guarded) => {
    expect(guardCell(cell)).toBe(guarded);
  });

  it('never lets a cell start with a formula character unless it is a plain signed number', () => {
    fc.assert(
      fc.property(fc.string(), (cell) => {
        const out = guardCell(cell);
        expect(out === cell || out === `'${cell}`).toBe(true);
        if (/^[=@\t\r]/.test(out)) expect.unreachable(`unguarded ${JSON.stringify(out)}`);
        if (/^[+-]/.test(out)) expect(out).toMatch(/^[+-]\d+(?:[ .]\d+)*$/);
      }),
    );
  });
});
