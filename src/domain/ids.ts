/**
 * Identifiers in Duo's style: a two-letter prefix and 18 upper-case base32 characters (`DPFZRS9FB0D46QFTM899`).
 * Crockford's alphabet (no I, L, O, U) matches what Duo ids look like and cannot be misread when typed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FactordeskError } from '../errors.js';

/** Prefixes by entity: user, phone, administrator, U2F registration. Tokens use `DH` via tokenIdForSerial. */
export type IdPrefix = 'DU' | 'DP' | 'DE' | 'DR';

/** Gives `size` random bytes; injectable so tests are deterministic. */
export type RandomSource = (size: number) => Uint8Array;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_BODY_LENGTH = 18;
/** 18 characters × 5 bits = 90 bits, taken from 12 bytes. */
const ID_BODY_BYTES = Math.ceil((ID_BODY_LENGTH * 5) / 8);

const defaultRandom: RandomSource = (size) => randomBytes(size);

function takeBytes(random: RandomSource, size: number): Uint8Array {
  const bytes = random(size);
  // A short buffer would silently give ids with a constant tail, i.e. collisions: fail loudly instead.
  if (bytes.length < size) {
    throw new FactordeskError('INTERNAL', `random source gave ${bytes.length} bytes; ${size} are needed`);
  }
  return bytes;
}

/** The first `length` Crockford base32 characters of `bytes`, most significant bits first. */
export function base32(bytes: Uint8Array, length: number): string {
  if (bytes.length * 8 < length * 5) {
    throw new FactordeskError('INTERNAL', `${bytes.length} bytes cannot give ${length} base32 characters`);
  }
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === length) break;
  }
  return out;
}

/** A new random id: `prefix` + 18 upper-case base32 characters (90 random bits). */
export function newId(prefix: IdPrefix, random: RandomSource = defaultRandom): string {
  return prefix + base32(takeBytes(random, ID_BODY_BYTES), ID_BODY_LENGTH);
}

/**
 * The token_id of a serial: `DH` + 18 base32 characters of sha256(serial). Deterministic, so two offline
 * imports of one serial produce one document id and meet at the hub as one token.
 */
export function tokenIdForSerial(serial: string): string {
  const digest = createHash('sha256').update(serial, 'utf8').digest();
  return 'DH' + base32(digest, ID_BODY_LENGTH);
}

/** Characters of the time part: base36 of 1e15 (the schemas' epoch maximum) fits in 10. */
const EVENT_TIME_LENGTH = 10;
const EVENT_RANDOM_LENGTH = 10;

/**
 * A time-sortable event id: the time in base36, zero-padded so that string order is time order,
 * then a random base36 part so two events in one millisecond (or on two hubs) do not collide.
 */
export function newEventId(nowMs: number, random: RandomSource = defaultRandom): string {
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) {
    throw new FactordeskError('INTERNAL', `event time must be a non-negative integer of milliseconds, got ${nowMs}`);
  }
  const time = nowMs.toString(36).padStart(EVENT_TIME_LENGTH, '0');
  const bytes = takeBytes(random, EVENT_RANDOM_LENGTH);
  let tail = '';
  for (let i = 0; i < EVENT_RANDOM_LENGTH; i++) tail += ((bytes[i] ?? 0) % 36).toString(36);
  return time + tail;
}
