import { describe, it, expect } from 'vitest';
import {
  YUBIKEY_CRC_RESIDUE,
  decryptYubikeyOtp,
  generateYubikeyOtp,
  isModhex,
  modhexDecode,
  modhexEncode,
  splitYubikeyOtp,
  verifyYubikeyOtp,
  yubikeyCrc16,
  type YubikeyCredential,
} from '../../../src/otp/yubico.js';

// Published samples from Yubico's yubico-c library: test-vectors.txt (OTP
// dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh, AES key ecde18dbe76fbd0c33330f1c354871db, its modhex,
// AES-ECB and field values) and the ykparse(1) manual page's example OTP for the same key
// (dteffujedcflcindvdbrblehecuitvjkjevvehjd); the modhex of "test" comes from the library's self-test.
const SAMPLE_OTP = 'dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh';
const SAMPLE_OTP_EARLIER = 'dteffujedcflcindvdbrblehecuitvjkjevvehjd';
const SAMPLE_KEY = 'ecde18dbe76fbd0c33330f1c354871db';
const SAMPLE: YubikeyCredential = { publicId: 'dteffuje', privateId: '8792ebfe26cc', aesKey: SAMPLE_KEY };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('modhex', () => {
  it('decodes and encodes the published vectors', () => {
    expect(hex(modhexDecode('dteffuje'))).toBe('2d344e83');
    expect(hex(modhexDecode('hknhfjbrjnlnldnhcujvddbikngjrtgh'))).toBe('69b6481c8baba2b60e8f22179b58cd56');
    expect(modhexEncode(Buffer.from(SAMPLE_KEY, 'hex'))).toBe('urtubjtnuihvntcreeeecvbregfjibtn');
    expect(modhexEncode(Buffer.from('test'))).toBe('ifhgieif');
  });

  it('refuses other characters and odd lengths', () => {
    expect(isModhex('cbdefghijklnrtuv')).toBe(true);
    expect(isModhex('abc1')).toBe(false);
    expect(isModhex('ccc')).toBe(false);
    expect(() => modhexDecode('ccca')).toThrow(/modhex/);
  });
});

describe('decryptYubikeyOtp', () => {
  it('reads the fields of the published sample', () => {
    const parts = splitYubikeyOtp(SAMPLE_OTP);
    expect(parts).toEqual({ publicId: 'dteffuje', cipher: 'hknhfjbrjnlnldnhcujvddbikngjrtgh' });
    expect(decryptYubikeyOtp(parts!.cipher, SAMPLE_KEY)).toEqual({
      privateId: '8792ebfe26cc',
      useCounter: 19,
      timestamp: 49712,
      sessionCounter: 17,
      random: 0x9fc8,
      crc: 0xc823,
      crcOk: true,
    });
  });

  it('checks the CRC-16 residue of the published plaintext', () => {
    const plaintext = Buffer.from('8792ebfe26cc130030c20011c89f23c8', 'hex');
    expect(yubikeyCrc16(plaintext)).toBe(YUBIKEY_CRC_RESIDUE);
    plaintext.writeUInt8(plaintext[3]! ^ 1, 3);
    expect(yubikeyCrc16(plaintext)).not.toBe(YUBIKEY_CRC_RESIDUE);
  });

  it('reports a bad CRC when decrypted with the wrong key', () => {
    const fields = decryptYubikeyOtp('hknhfjbrjnlnldnhcujvddbikngjrtgh', '00'.repeat(16));
    expect(fields.crcOk).toBe(false);
  });
});

describe('verifyYubikeyOtp', () => {
  it('accepts the published sample and returns its counters', () => {
    const result = verifyYubikeyOtp(SAMPLE_OTP, SAMPLE, null);
    expect(result).toMatchObject({ ok: true, counters: { useCounter: 19, sessionCounter: 17 } });
  });

  it('accepts upper-case input as typed with caps lock', () => {
    expect(verifyYubikeyOtp(SAMPLE_OTP.toUpperCase(), SAMPLE, null).ok).toBe(true);
  });

  it('refuses a replay of the same OTP, and an earlier OTP of the same session', () => {
    const first = verifyYubikeyOtp(SAMPLE_OTP, SAMPLE, null);
    if (!first.ok) throw new Error(first.reason);
    expect(verifyYubikeyOtp(SAMPLE_OTP, SAMPLE, first.counters)).toEqual({ ok: false, reason: 'replayed' });
    // The manual's sample is press 16 of the same power-up (19): it comes before press 17.
    expect(verifyYubikeyOtp(SAMPLE_OTP_EARLIER, SAMPLE, first.counters)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('accepts the later press after the earlier one', () => {
    const earlier = verifyYubikeyOtp(SAMPLE_OTP_EARLIER, SAMPLE, null);
    if (!earlier.ok) throw new Error(earlier.reason);
    expect(earlier.counters).toEqual({ useCounter: 19, sessionCounter: 16 });
    expect(verifyYubikeyOtp(SAMPLE_OTP, SAMPLE, earlier.counters).ok).toBe(true);
  });

  it('orders by power-up first: a new power-up with a lower session counter is accepted', () => {
    const credential: YubikeyCredential = { publicId: 'vvccccdddddd', privateId: '0102030405a6', aesKey: '00112233445566778899aabbccddeeff' };
    const last = { useCounter: 5, sessionCounter: 200 };
    const next = generateYubikeyOtp(credential, { useCounter: 6, sessionCounter: 0, timestamp: 0x123456, random: 7 });
    expect(verifyYubikeyOtp(next, credential, last)).toMatchObject({ ok: true, counters: { useCounter: 6, sessionCounter: 0 } });
    const old = generateYubikeyOtp(credential, { useCounter: 4, sessionCounter: 250 });
    expect(verifyYubikeyOtp(old, credential, last)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('round-trips generated OTPs through decryption', () => {
    const credential: YubikeyCredential = { publicId: 'vvccccdddddd', privateId: '0102030405a6', aesKey: '00112233445566778899aabbccddeeff' };
    const otp = generateYubikeyOtp(credential, { useCounter: 300, sessionCounter: 9, timestamp: 0xabcdef, random: 0x1234 });
    expect(otp).toHaveLength(44);
    const fields = decryptYubikeyOtp(otp.slice(12), credential.aesKey);
    expect(fields).toMatchObject({ privateId: '0102030405a6', useCounter: 300, sessionCounter: 9, timestamp: 0xabcdef, random: 0x1234, crcOk: true });
  });

  it('accepts any prefix when the public id is not known, the key still checked', () => {
    expect(verifyYubikeyOtp(SAMPLE_OTP, { ...SAMPLE, publicId: null }, null).ok).toBe(true);
    expect(verifyYubikeyOtp(`cccccccc${SAMPLE_OTP.slice(8)}`, { ...SAMPLE, publicId: null }, null).ok).toBe(true);
    const wrongKey = { ...SAMPLE, publicId: null, aesKey: 'ff'.repeat(16) };
    expect(verifyYubikeyOtp(SAMPLE_OTP, wrongKey, null)).toEqual({ ok: false, reason: 'crc' });
  });

  it('refuses another key: wrong public id, wrong AES key (CRC), wrong private id, not an OTP', () => {
    expect(verifyYubikeyOtp(SAMPLE_OTP, { ...SAMPLE, publicId: 'cccccccc' }, null)).toEqual({ ok: false, reason: 'public-id' });
    expect(verifyYubikeyOtp(SAMPLE_OTP, { ...SAMPLE, aesKey: 'ff'.repeat(16) }, null)).toEqual({ ok: false, reason: 'crc' });
    expect(verifyYubikeyOtp(SAMPLE_OTP, { ...SAMPLE, privateId: '000000000000' }, null)).toEqual({ ok: false, reason: 'private-id' });
    expect(verifyYubikeyOtp('123456', SAMPLE, null)).toEqual({ ok: false, reason: 'format' });
    expect(verifyYubikeyOtp(`${SAMPLE_OTP}x`, SAMPLE, null)).toEqual({ ok: false, reason: 'format' });
  });
});
