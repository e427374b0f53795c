/**
 * YubiKey OTP ("Yubico OTP"): a modhex public id followed by 32 modhex characters, the AES-128-ECB
 * encryption of a 16-byte block (private id, use counter, timestamp, session counter, random, CRC-16).
 * Verification decrypts with the token's AES key, checks the CRC and the private id, and refuses any
 * OTP whose (use counter, session counter) is not after the last accepted one.
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { invalid } from '../errors.js';

/** ModHex: hex with the digits the key types the same on most keyboard layouts. */
export const MODHEX_ALPHABET = 'cbdefghijklnrtuv';
const HEX_ALPHABET = '0123456789abcdef';

/** The encrypted part of an OTP is always 32 modhex characters; the public id before it is 0 to 32. */
export const YUBIKEY_OTP_CIPHER_LENGTH = 32;
export const YUBIKEY_MAX_PUBLIC_ID_LENGTH = 32;
/** CRC-16 over a whole block, its own CRC included, leaves this residue when the block is intact. */
export const YUBIKEY_CRC_RESIDUE = 0xf0b8;

/** True for a non-empty, even-length lower-case modhex string. */
export function isModhex(text: string): boolean {
  return text.length > 0 && text.length % 2 === 0 && [...text].every((ch) => MODHEX_ALPHABET.includes(ch));
}

/** The bytes of a modhex string (case-insensitive); throws on other characters or an odd length. */
export function modhexDecode(text: string): Uint8Array {
  const lower = text.toLowerCase();
  if (!isModhex(lower)) throw invalid('not modhex: use an even number of the characters cbdefghijklnrtuv');
  const hex = [...lower].map((ch) => HEX_ALPHABET[MODHEX_ALPHABET.indexOf(ch)]).join('');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** The modhex string of some bytes. */
export function modhexEncode(bytes: Uint8Array): string {
  return [...Buffer.from(bytes).toString('hex')].map((ch) => MODHEX_ALPHABET[HEX_ALPHABET.indexOf(ch)]).join('');
}

/** CRC-16 as the YubiKey computes it (ISO 13239: reflected polynomial 0x8408, initial value 0xffff). */
export function yubikeyCrc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      const carry = crc & 1;
      crc >>= 1;
      if (carry) crc ^= 0x8408;
    }
  }
  return crc;
}

/** The fields of a decrypted OTP block. */
export interface YubikeyOtpFields {
  /** 6 bytes, lower-case hex. */
  privateId: string;
  /** Power-ups of the key (15 bits in practice); survives unplugging. */
  useCounter: number;
  /** 24-bit 8 Hz timer since power-up. */
  timestamp: number;
  /** Button presses since power-up. */
  sessionCounter: number;
  random: number;
  crc: number;
  /** The CRC over the whole block gives the expected residue. */
  crcOk: boolean;
}

/** Splits an OTP into its public id and 32-character encrypted part; null when it cannot be an OTP. */
export function splitYubikeyOtp(otp: string): { publicId: string; cipher: string } | null {
  const text = otp.trim().toLowerCase();
  const longest = YUBIKEY_OTP_CIPHER_LENGTH + YUBIKEY_MAX_PUBLIC_ID_LENGTH;
  if (text.length < YUBIKEY_OTP_CIPHER_LENGTH || text.length > longest || !isModhex(text)) return null;
  const cut = text.length - YUBIKEY_OTP_CIPHER_LENGTH;
  return { publicId: text.slice(0, cut), cipher: text.slice(cut) };
}

function aesKeyBytes(aesKeyHex: string): Buffer {
  if (!/^[0-9a-f]{32}$/i.test(aesKeyHex)) throw invalid('a YubiKey AES key is 16 bytes (32 hex digits)');
  return Buffer.from(aesKeyHex, 'hex');
}

/** Decrypts the 32 modhex characters of an OTP with a 16-byte AES key (hex) and reads its fields. */
export function decryptYubikeyOtp(cipherModhex: string, aesKeyHex: string): YubikeyOtpFields {
  const key = aesKeyBytes(aesKeyHex);
  const cipher = modhexDecode(cipherModhex);
  if (cipher.length !== 16) throw invalid('the encrypted part of a YubiKey OTP is 32 modhex characters');
  const decipher = createDecipheriv('aes-128-ecb', key, null);
  decipher.setAutoPadding(false);
  const block = Buffer.concat([decipher.update(cipher), decipher.final()]);
  return {
    privateId: block.subarray(0, 6).toString('hex'),
    useCounter: block.readUInt16LE(6),
    timestamp: block.readUInt16LE(8) | (block.readUInt8(10) << 16),
    sessionCounter: block.readUInt8(11),
    random: block.readUInt16LE(12),
    crc: block.readUInt16LE(14),
    crcOk: yubikeyCrc16(block) === YUBIKEY_CRC_RESIDUE,
  };
}

/** What the hub keeps for a YubiKey OTP token (hex, lower case; the public id in modhex). */
export interface YubikeyCredential {
  /**
   * Modhex; empty when the key sends no public id. Null when it is not known (a token imported by serial
   * alone): any prefix is then accepted and the AES key, CRC and private id identify the key.
   */
  publicId: string | null;
  privateId: string;
  aesKey: string;
}

/** The counters of the last accepted OTP of a key. */
export interface YubikeyCounters {
  useCounter: number;
  sessionCounter: number;
}

export type YubikeyVerifyFailure = 'format' | 'public-id' | 'crc' | 'private-id' | 'replayed';

export type YubikeyVerifyResult =
  | { ok: true; counters: YubikeyCounters; fields: YubikeyOtpFields }
  | { ok: false; reason: YubikeyVerifyFailure };

/** True when `next` comes strictly after `last`: a later power-up, or a later press in the same one. */
export function isAfter(next: YubikeyCounters, last: YubikeyCounters): boolean {
  if (next.useCounter !== last.useCounter) return next.useCounter > last.useCounter;
  return next.sessionCounter > last.sessionCounter;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'hex');
  const y = Buffer.from(b.toLowerCase(), 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies an OTP typed by `credential`'s key. `lastCounters` are those of the last accepted OTP (null
 * before the first); on success the caller stores the returned counters, so the same OTP, and any
 * older one, is refused as replayed from then on.
 */
export function verifyYubikeyOtp(
  otp: string,
  credential: YubikeyCredential,
  lastCounters: YubikeyCounters | null,
): YubikeyVerifyResult {
  const parts = splitYubikeyOtp(otp);
  if (parts === null) return { ok: false, reason: 'format' };
  if (credential.publicId !== null && parts.publicId !== credential.publicId.toLowerCase()) {
    return { ok: false, reason: 'public-id' };
  }
  const fields = decryptYubikeyOtp(parts.cipher, credential.aesKey);
  if (!fields.crcOk) return { ok: false, reason: 'crc' };
  if (!sameHex(fields.privateId, credential.privateId)) return { ok: false, reason: 'private-id' };
  const counters = { useCounter: fields.useCounter, sessionCounter: fields.sessionCounter };
  if (lastCounters !== null && !isAfter(counters, lastCounters)) return { ok: false, reason: 'replayed' };
  return { ok: true, counters, fields };
}

/** The moving parts of an OTP that a key would choose itself. */
export interface YubikeyOtpInput extends YubikeyCounters {
  timestamp?: number;
  random?: number;
}

/**
 * The OTP a key with `credential` would type for these counters: what a simulated key needs in tests
 * and demonstrations (the CRC is stored complemented, so that the whole block leaves the residue).
 */
export function generateYubikeyOtp(credential: YubikeyCredential, input: YubikeyOtpInput): string {
  const privateId = Buffer.from(credential.privateId, 'hex');
  if (privateId.length !== 6) throw invalid('a YubiKey private id is 6 bytes (12 hex digits)');
  const block = Buffer.alloc(16);
  privateId.copy(block, 0);
  block.writeUInt16LE(input.useCounter & 0xffff, 6);
  const timestamp = input.timestamp ?? 0;
  block.writeUInt16LE(timestamp & 0xffff, 8);
  block.writeUInt8((timestamp >> 16) & 0xff, 10);
  block.writeUInt8(input.sessionCounter & 0xff, 11);
  block.writeUInt16LE((input.random ?? 0) & 0xffff, 12);
  block.writeUInt16LE(~yubikeyCrc16(block.subarray(0, 14)) & 0xffff, 14);
  const cipher = createCipheriv('aes-128-ecb', aesKeyBytes(credential.aesKey), null);
  cipher.setAutoPadding(false);
  return (credential.publicId ?? '').toLowerCase() + modhexEncode(Buffer.concat([cipher.update(block), cipher.final()]));
}
