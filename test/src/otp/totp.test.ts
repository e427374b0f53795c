import { describe, it, expect } from 'vitest';
import { totpCode, totpStepAt, verifyTotp } from '../../../src/otp/totp.js';
import type { OtpAlgorithm } from '../../../src/otp/options.js';

// RFC 6238 appendix B: the seed is "1234567890" repeated to the hash's size, step 30 s, 8 digits.
const SEEDS: Record<OtpAlgorithm, string> = {
  sha1: Buffer.from('12345678901234567890').toString('hex'),
  sha256: Buffer.from('12345678901234567890123456789012').toString('hex'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234').toString('hex'),
};

const RFC6238_ROWS: [seconds: number, algorithm: OtpAlgorithm, code: string][] = [
  [59, 'sha1', '94287082'],
  [59, 'sha256', '46119246'],
  [59, 'sha512', '90693936'],
  [1111111109, 'sha1', '07081804'],
  [1111111109, 'sha256', '68084774'],
  [1111111109, 'sha512', '25091201'],
  [1111111111, 'sha1', '14050471'],
  [1111111111, 'sha256', '67062674'],
  [1111111111, 'sha512', '99943326'],
  [1234567890, 'sha1', '89005924'],
  [1234567890, 'sha256', '91819424'],
  [1234567890, 'sha512', '93441116'],
  [2000000000, 'sha1', '69279037'],
  [2000000000, 'sha256', '90698825'],
  [2000000000, 'sha512', '38618901'],
  [20000000000, 'sha1', '65353130'],
  [20000000000, 'sha256', '77737706'],
  [20000000000, 'sha512', '47863826'],
];

describe('totpCode', () => {
  it.each(RFC6238_ROWS)('gives the RFC 6238 appendix B value at %i s with %s', (seconds, algorithm, code) => {
    expect(totpCode(SEEDS[algorithm], seconds * 1000, 30, { digits: 8, algorithm })).toBe(code);
  });

  it('gives 6-digit codes by default', () => {
    expect(totpCode(SEEDS.sha1, 59_000, 30)).toBe('287082');
  });
});

describe('verifyTotp', () => {
  const secret = SEEDS.sha1;
  const now = 1_111_111_111_000;
  const step = totpStepAt(now, 30);
  const codeAt = (offsetSteps: number) => totpCode(secret, now + offsetSteps * 30_000, 30);

  it('returns the matched time step for the current code and for one step either side', () => {
    expect(verifyTotp(secret, codeAt(0), now, 30)).toBe(step);
    expect(verifyTotp(secret, codeAt(-1), now, 30)).toBe(step - 1);
    expect(verifyTotp(secret, codeAt(1), now, 30)).toBe(step + 1);
  });

  it('refuses codes two steps away with the default skew, and accepts them with skew 2', () => {
    expect(verifyTotp(secret, codeAt(-2), now, 30)).toBeNull();
    expect(verifyTotp(secret, codeAt(2), now, 30)).toBeNull();
    expect(verifyTotp(secret, codeAt(-2), now, 30, { skewSteps: 2 })).toBe(step - 2);
  });

  it('refuses a replay: a code at or before the last accepted step', () => {
    const accepted = verifyTotp(secret, codeAt(0), now, 30);
    expect(accepted).toBe(step);
    expect(verifyTotp(secret, codeAt(0), now, 30, { lastUsedStep: accepted })).toBeNull();
    expect(verifyTotp(secret, codeAt(-1), now, 30, { lastUsedStep: accepted })).toBeNull();
    expect(verifyTotp(secret, codeAt(1), now, 30, { lastUsedStep: accepted })).toBe(step + 1);
  });

  it('honours the token step and code length', () => {
    const code = totpCode(secret, now, 60, { digits: 8 });
    expect(verifyTotp(secret, code, now + 30_000, 60, { digits: 8 })).toBe(totpStepAt(now, 60));
    expect(verifyTotp(secret, code, now, 30, { digits: 8 })).toBeNull();
  });

  it('answers null for a code of the wrong shape', () => {
    expect(verifyTotp(secret, 'abcdef', now, 30)).toBeNull();
    expect(verifyTotp(secret, '1234567', now, 30)).toBeNull();
  });
});
