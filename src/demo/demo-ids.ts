/**
 * Duo-style ids for demo records, drawn from the seeded generator so a seed always gives the same ids.
 * Same alphabet and bit order as src/domain/ids.ts (Crockford base32, most significant bits first).
 */
import type { Rng } from './random.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 18;

const CROCKFORD_CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));

/**
 * `prefix` + 18 base32 characters: 90 random bits, taken as three 30-bit draws. Built from char codes in
 * one go: appending character by character leaves V8 cons-strings of ~300 bytes per id, ~65 MB for the
 * enterprise set's 220,000 ids, where a flat string takes ~40 bytes.
 */
export function demoId(rng: Rng, prefix: 'DU' | 'DP' | 'DE' | 'DR'): string {
  const codes = [prefix.charCodeAt(0), prefix.charCodeAt(1)];
  for (let draw = 0; draw < BODY_LENGTH / 6; draw++) {
    const bits = rng.uint32() >>> 2;
    for (let shift = 25; shift >= 0; shift -= 5) codes.push(CROCKFORD_CODES[(bits >>> shift) & 31] ?? 48);
  }
  return String.fromCharCode(...codes);
}
