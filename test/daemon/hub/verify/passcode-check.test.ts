import { describe, expect, it } from 'vitest';
import { checkPasscode, HOTP_LOOK_AHEAD, type Factor } from '../../../../daemon/hub/verify/passcode-check.js';
import { tokenSecretOf, type TokenSecret } from '../../../../daemon/hub/token-secrets.js';
import type { ActivationSecret } from '../../../../daemon/hub/activation-secrets.js';
import { hotpCode } from '../../../../src/otp/hotp.js';
import { totpCode } from '../../../../src/otp/totp.js';
import { generateYubikeyOtp } from '../../../../src/otp/yubico.js';

const RFC_HEX = '3132333435363738393031323334353637383930';
const SEED = Buffer.from(RFC_HEX, 'hex');
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

function hotp(counter = 0): Factor {
  const secret: TokenSecret = tokenSecretOf({
    serial: 'H-1', type: 'h6', totp_step: 0, secret_hex: RFC_HEX, counter, digits: 6, algorithm: 'sha1', private_id: null, aes_key: null, public_id: null,
  });
  return { kind: 'token', token: { token_id: 'DH1', serial: 'H-1', type: 'h6' }, secret };
}

function totp(lastStep = -1): Factor {
  const secret = { ...tokenSecretOf({ serial: 'T-1', type: 't6', totp_step: 30, secret_hex: RFC_HEX, counter: 0, digits: 6, algorithm: 'sha1', private_id: null, aes_key: null, public_id: null }), last_step: lastStep };
  return { kind: 'token', token: { token_id: 'DH2', serial: 'T-1', type: 't6' }, secret };
}

const YK = { publicId: 'vvccccfiluij', privateId: '8792ebfe26cc', aesKey: 'ecde18dbe76fbd0c33330f1c354871db' };
function yubikey(last: TokenSecret['yubikey_last'] = null): Factor {
  const secret = { ...tokenSecretOf({ serial: 'Y-1', type: 'yk', totp_step: 0, secret_hex: null, counter: 0, digits: null, algorithm: null, private_id: YK.privateId, aes_key: YK.aesKey, public_id: YK.publicId }), yubikey_last: last };
  return { kind: 'token', token: { token_id: 'DH3', serial: 'Y-1', type: 'yk' }, secret };
}

function phone(overrides: Partial<ActivationSecret> = {}): Factor {
  return {
    kind: 'phone',
    phoneId: 'DP1',
    secret: { secret_hex: RFC_HEX, created: NOW - 1000, expires: NOW + 3_600_000, emailed_to: null, activated: false, last_step: -1, request_id: null, ...overrides },
  };
}

describe('checkPasscode', () => {
  it('accepts an HOTP code within the look-ahead and moves the counter past it', () => {
    const match = checkPasscode([hotp(0)], hotpCode(SEED, 3), NOW);
    expect(match).toMatchObject({ kind: 'token', secret: { counter: 4 } });
  });

  it(`refuses an HOTP code beyond ${HOTP_LOOK_AHEAD} ahead, and one already used`, () => {
    expect(checkPasscode([hotp(0)], hotpCode(SEED, HOTP_LOOK_AHEAD + 1), NOW)).toBeNull();
    expect(checkPasscode([hotp(5)], hotpCode(SEED, 4), NOW)).toBeNull();
  });

  it('accepts a TOTP code of the previous, current and next step, once', () => {
    for (const offset of [-30_000, 0, 30_000]) {
      const match = checkPasscode([totp()], totpCode(SEED, NOW + offset, 30), NOW);
      expect(match?.kind).toBe('token');
      const used = (match as { secret: TokenSecret }).secret.last_step;
      expect(checkPasscode([totp(used)], totpCode(SEED, NOW + offset, 30), NOW)).toBeNull();
    }
    expect(checkPasscode([totp()], totpCode(SEED, NOW + 90_000, 30), NOW)).toBeNull();
  });

  it('accepts a YubiKey OTP once and refuses an older one', () => {
    const otp = generateYubikeyOtp(YK, { useCounter: 3, sessionCounter: 2 });
    const match = checkPasscode([yubikey()], otp, NOW);
    expect(match).toMatchObject({ secret: { yubikey_last: { useCounter: 3, sessionCounter: 2 } } });
    expect(checkPasscode([yubikey({ useCounter: 3, sessionCounter: 2 })], otp, NOW)).toBeNull();
    expect(checkPasscode([yubikey({ useCounter: 3, sessionCounter: 2 })], generateYubikeyOtp(YK, { useCounter: 2, sessionCounter: 9 }), NOW)).toBeNull();
  });

  it("activates a phone with its activation's first code, and refuses an expired activation", () => {
    const code = totpCode(SEED, NOW, 30);
    expect(checkPasscode([phone()], code, NOW)).toMatchObject({ kind: 'phone', firstCode: true, secret: { activated: true } });
    expect(checkPasscode([phone({ expires: NOW - 1 })], code, NOW)).toBeNull();
    expect(checkPasscode([phone({ expires: NOW - 1, activated: true })], code, NOW)).toMatchObject({ firstCode: false });
  });

  it('tries every factor of the user', () => {
    expect(checkPasscode([totp(), hotp(0)], hotpCode(SEED, 1), NOW)).toMatchObject({ token: { serial: 'H-1' } });
    expect(checkPasscode([totp(), hotp(0)], '000000', NOW)).toBeNull();
  });
});
