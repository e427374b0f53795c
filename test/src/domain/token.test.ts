import { describe, it, expect } from 'vitest';
import { tokenIdForSerial } from '../../../src/domain/ids.js';
import {
  assertDeletable,
  assertResyncable,
  assignUser,
  attachAdmin,
  createToken,
  detachAdmin,
  isOtpToken,
  isTotpToken,
  parseTokenType,
  unassignUser,
  validateSerial,
} from '../../../src/domain/token.js';
import { T0, thrown } from './fixtures.js';

describe('validateSerial', () => {
  it('accepts up to 128 characters and trims blanks', () => {
    expect(validateSerial(' 123456 ')).toBe('123456');
    expect(validateSerial('s'.repeat(128))).toHaveLength(128);
  });

  it('refuses 129 characters, saying how many are allowed', () => {
    const e = thrown(() => validateSerial('s'.repeat(129)));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('token serial is 129 characters; at most 128 are allowed');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateSerial('😀'.repeat(128))).toHaveLength(256);
  });

  it('refuses empty and non-printable serials', () => {
    expect(thrown(() => validateSerial('  ')).userMessage).toBe('token serial is required');
    expect(thrown(() => validateSerial('ab\u0000c')).userMessage).toContain('control characters');
  });
});

describe('createToken', () => {
  it('derives token_id from the serial and starts without users or administrators', () => {
    const t = createToken({ serial: ' 0001 ', type: 'H6' }, T0);
    expect(t).toEqual({
      token_id: tokenIdForSerial('0001'),
      serial: '0001',
      type: 'h6',
      totp_step: 0,
      users: [],
      admins: [],
      origin: 'third-party',
      created: T0,
      updated: T0,
    });
  });

  it('gives two imports of one serial the same id', () => {
    expect(createToken({ serial: 'X1', type: 'h6' }, T0).token_id).toBe(createToken({ serial: 'X1', type: 'yk' }, T0 + 9).token_id);
  });

  it('marks d1 tokens as vendor-provisioned', () => {
    expect(createToken({ serial: 'D1', type: 'd1' }, T0).origin).toBe('vendor');
    expect(createToken({ serial: 'Y1', type: 'yk' }, T0).origin).toBe('third-party');
  });

  it('gives TOTP tokens a 30 s step by default and accepts 1..300', () => {
    expect(createToken({ serial: 'T1', type: 't6' }, T0).totp_step).toBe(30);
    expect(createToken({ serial: 'T1', type: 't8', totp_step: 60 }, T0).totp_step).toBe(60);
    expect(createToken({ serial: 'T1', type: 't6', totp_step: 1 }, T0).totp_step).toBe(1);
    expect(createToken({ serial: 'T1', type: 't6', totp_step: 300 }, T0).totp_step).toBe(300);
    for (const bad of [0, 301, 2.5, -30]) {
      const e = thrown(() => createToken({ serial: 'T1', type: 't6', totp_step: bad }, T0));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain(`totp_step ${bad} is out of range`);
      expect(e.userMessage).toContain('1 to 300');
    }
  });

  it('refuses totp_step for non-TOTP tokens', () => {
    const e = thrown(() => createToken({ serial: 'H1', type: 'h6', totp_step: 30 }, T0));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('totp_step applies only to TOTP tokens (t6, t8), not to h6');
  });

  it('refuses unknown token types, listing the codes', () => {
    const e = thrown(() => createToken({ serial: 'Z', type: 'u2f' }, T0));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toContain("token type 'u2f' is not known");
    expect(e.userMessage).toContain('h6 (HOTP 6 digits)');
    expect(parseTokenType(' T8 ')).toBe('t8');
  });

  it('validates the serial', () => {
    expect(thrown(() => createToken({ serial: 'x'.repeat(129), type: 'h6' }, T0)).userMessage).toContain('129 characters');
  });
});

describe('assertDeletable', () => {
  it('refuses vendor D100 tokens with the reference reason', () => {
    const e = thrown(() => assertDeletable(createToken({ serial: 'D100-1', type: 'd1' }, T0)));
    expect(e.code).toBe('REFUSED');
    expect(e.userMessage).toContain('purchased from the vendor');
    expect(e.userMessage).toContain('only imported third-party tokens can be deleted');
  });

  it('allows third-party tokens', () => {
    for (const type of ['h6', 'h8', 't6', 't8', 'yk']) {
      expect(() => assertDeletable(createToken({ serial: `S-${type}`, type }, T0))).not.toThrow();
    }
  });
});

describe('assertResyncable', () => {
  it('allows HOTP tokens, third-party and vendor', () => {
    for (const type of ['h6', 'h8', 'd1']) expect(() => assertResyncable(createToken({ serial: 'S', type }, T0))).not.toThrow();
  });

  it('refuses TOTP tokens, which cannot be resynchronized', () => {
    const e = thrown(() => assertResyncable(createToken({ serial: 'S', type: 't6' }, T0)));
    expect(e.code).toBe('REFUSED');
    expect(e.userMessage).toContain('TOTP tokens cannot be resynchronized');
  });

  it('refuses YubiKey OTP tokens', () => {
    expect(thrown(() => assertResyncable(createToken({ serial: 'S', type: 'yk' }, T0))).code).toBe('REFUSED');
  });
});

describe('user assignment', () => {
  const token = createToken({ serial: 'S1', type: 'h6' }, T0);

  it('assigns a token to several users', () => {
    const t = assignUser(assignUser(token, 'U1', T0 + 1), 'U2', T0 + 2);
    expect(t.users).toEqual(['U1', 'U2']);
    expect(t.updated).toBe(T0 + 2);
  });

  it('refuses assigning twice with CONFLICT', () => {
    const e = thrown(() => assignUser(assignUser(token, 'U1', T0), 'U1', T0, 'alice'));
    expect(e.code).toBe('CONFLICT');
    expect(e.userMessage).toBe('token S1 is already assigned to alice');
  });

  it('unassigns one user and refuses a user that is not assigned', () => {
    const t = assignUser(assignUser(token, 'U1', T0), 'U2', T0);
    expect(unassignUser(t, 'U1', T0).users).toEqual(['U2']);
    const e = thrown(() => unassignUser(token, 'U1', T0, 'alice'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toBe('token S1 is not assigned to alice');
  });
});

describe('administrator attachment', () => {
  const token = createToken({ serial: 'S1', type: 'yk' }, T0);

  it('attaches a token to several administrators and detaches one', () => {
    const t = attachAdmin(attachAdmin(token, 'DE1', T0), 'DE2', T0);
    expect(t.admins).toEqual(['DE1', 'DE2']);
    expect(detachAdmin(t, 'DE1', T0).admins).toEqual(['DE2']);
  });

  it('attaches vendor d1 tokens too (they are OTP tokens)', () => {
    expect(attachAdmin(createToken({ serial: 'D', type: 'd1' }, T0), 'DE1', T0).admins).toEqual(['DE1']);
  });

  it('refuses attaching twice and detaching an administrator that is not attached', () => {
    expect(thrown(() => attachAdmin(attachAdmin(token, 'DE1', T0), 'DE1', T0, 'Root')).userMessage).toBe(
      'token S1 is already attached to administrator Root',
    );
    const e = thrown(() => detachAdmin(token, 'DE1', T0, 'Root'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toBe('token S1 is not attached to administrator Root');
  });

  it('refuses a record that is not an OTP token', () => {
    const bogus = { ...token, type: 'u2f' as never };
    const e = thrown(() => attachAdmin(bogus, 'DE1', T0));
    expect(e.code).toBe('REFUSED');
    expect(e.userMessage).toContain('only OTP hardware tokens can be used for administrator logins');
  });
});

describe('isOtpToken / isTotpToken', () => {
  it('treats every hardware token type as OTP and U2F/WebAuthn as not', () => {
    for (const t of ['h6', 'h8', 't6', 't8', 'yk', 'd1']) expect(isOtpToken(t)).toBe(true);
    for (const t of ['u2f', 'webauthn', '']) expect(isOtpToken(t)).toBe(false);
  });

  it('knows which types are TOTP', () => {
    expect(isTotpToken('t6')).toBe(true);
    expect(isTotpToken('t8')).toBe(true);
    expect(isTotpToken('h6')).toBe(false);
  });
});
