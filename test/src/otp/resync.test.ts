import { describe, it, expect } from 'vitest';
import { hotpCode, verifyHotp } from '../../../src/otp/hotp.js';
import {
  DEFAULT_RESYNC_WINDOW,
  resyncFailureError,
  resyncHotp,
  resyncToken,
  type ResyncResult,
} from '../../../src/otp/resync.js';

const SECRET = Buffer.from('12345678901234567890').toString('hex');
const codesFrom = (counter: number, digits: 6 | 8 = 6) =>
  [0, 1, 2].map((i) => hotpCode(SECRET, counter + i, { digits }));

function failure(result: ResyncResult) {
  if (result.ok) throw new Error('expected a failure');
  return result;
}

describe('resyncHotp', () => {
  it('finds three consecutive codes far ahead and stores the counter past the last one', () => {
    const result = resyncHotp(SECRET, 0, codesFrom(500));
    expect(result).toEqual({ ok: true, counter: 503, matchedAt: 500 });
  });

  it('makes the three codes, and every older one, fail verification afterwards', () => {
    const codes = codesFrom(40);
    const result = resyncHotp(SECRET, 3, codes);
    if (!result.ok) throw new Error(result.message);
    for (const code of [...codes, hotpCode(SECRET, 10)]) expect(verifyHotp(SECRET, code, result.counter, 10)).toBeNull();
    expect(verifyHotp(SECRET, hotpCode(SECRET, 43), result.counter, 10)).toBe(43);
  });

  it('scans 1000 counters ahead by default, the first code allowed at the window edge', () => {
    expect(DEFAULT_RESYNC_WINDOW).toBe(1000);
    expect(resyncHotp(SECRET, 7, codesFrom(7 + 1000))).toEqual({ ok: true, counter: 1010, matchedAt: 1007 });
    expect(failure(resyncHotp(SECRET, 7, codesFrom(7 + 1001))).reason).toBe('no-match');
  });

  it('honours a smaller window, edge included', () => {
    expect(resyncHotp(SECRET, 0, codesFrom(20), { window: 20 }).ok).toBe(true);
    expect(failure(resyncHotp(SECRET, 0, codesFrom(21), { window: 20 })).reason).toBe('no-match');
  });

  it('matches at the stored counter itself', () => {
    expect(resyncHotp(SECRET, 12, codesFrom(12))).toEqual({ ok: true, counter: 15, matchedAt: 12 });
  });

  it('refuses codes that are not consecutive or not in order', () => {
    const [a, b, c] = codesFrom(100) as [string, string, string];
    const skipped = [a, b, hotpCode(SECRET, 103)];
    expect(failure(resyncHotp(SECRET, 0, skipped)).reason).toBe('no-match');
    expect(failure(resyncHotp(SECRET, 0, [a, c, b])).reason).toBe('no-match');
  });

  it('refuses codes behind the stored counter', () => {
    expect(failure(resyncHotp(SECRET, 200, codesFrom(150))).reason).toBe('no-match');
  });

  it('refuses codes of the wrong shape or number, naming the bad one', () => {
    const [a, b] = codesFrom(5) as [string, string];
    const bad = failure(resyncHotp(SECRET, 0, [a, b, '12x456']));
    expect(bad).toMatchObject({ reason: 'invalid-code', message: 'code 3 is not a 6-digit code' });
    expect(failure(resyncHotp(SECRET, 0, [a, b])).reason).toBe('invalid-code');
  });

  it('resynchronises 8-digit tokens', () => {
    expect(resyncHotp(SECRET, 0, codesFrom(30, 8), { digits: 8 })).toEqual({ ok: true, counter: 33, matchedAt: 30 });
  });
});

describe('resyncToken', () => {
  it('refuses TOTP tokens with the reference product message', () => {
    const result = failure(resyncToken({ serial: 'T-1', type: 't6', secret: SECRET, counter: 0 }, codesFrom(3)));
    expect(result.reason).toBe('refused');
    expect(result.message).toBe('token T-1 is a TOTP token; imported TOTP tokens cannot be resynchronized');
    expect(resyncFailureError(result).code).toBe('REFUSED');
  });

  it('refuses YubiKey OTP tokens', () => {
    const result = failure(resyncToken({ serial: 'Y-1', type: 'yk', secret: SECRET, counter: 0 }, codesFrom(3)));
    expect(result.reason).toBe('refused');
  });

  it('resynchronises HOTP tokens, 8 digits for h8', () => {
    expect(resyncToken({ serial: 'H-1', type: 'h6', secret: SECRET, counter: 0 }, codesFrom(9))).toMatchObject({ ok: true, counter: 12 });
    expect(resyncToken({ serial: 'H-2', type: 'h8', secret: SECRET, counter: 0 }, codesFrom(9, 8))).toMatchObject({ ok: true, counter: 12 });
    expect(resyncToken({ serial: 'D-1', type: 'd1', secret: SECRET, counter: 0 }, codesFrom(9))).toMatchObject({ ok: true, counter: 12 });
  });

  it('turns a mismatch into an INVALID_INPUT error with a hint', () => {
    const result = failure(resyncToken({ serial: 'H-1', type: 'h6', secret: SECRET, counter: 0 }, ['111111', '222222', '333333']));
    const error = resyncFailureError(result);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.hint).toMatch(/press the button/);
  });
});
