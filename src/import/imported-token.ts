/**
 * What every token-file parser produces: the token's replicated metadata (serial, type, totp_step) and its
 * secret material, which only the hub keeps; and the per-row error a bad row becomes.
 */
import type { TokenType } from '../domain/enums.js';
import { isFactordeskError } from '../errors.js';
import type { OtpAlgorithm, OtpDigits } from '../otp/options.js';

export const IMPORT_FORMATS = ['duo-csv', 'oath-csv', 'yubico-csv', 'pskc'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One token read from a file. Secrets are lower-case hex; fields that do not apply to the type are null. */
export interface ImportedToken {
  serial: string;
  type: TokenType;
  /** Seconds per code for t6/t8, 0 for the others (as in the replicated Token). */
  totp_step: number;
  /** HOTP/TOTP seed; null for YubiKey OTP. */
  secret_hex: string | null;
  /** HOTP moving factor; 0 for the other types. */
  counter: number;
  /** Code length of HOTP/TOTP tokens; null for YubiKey OTP. */
  digits: OtpDigits | null;
  /** HMAC hash of HOTP/TOTP tokens; null for YubiKey OTP. */
  algorithm: OtpAlgorithm | null;
  /** YubiKey OTP: 6-byte private id, 16-byte AES key (hex) and the modhex public id when known. */
  private_id: string | null;
  aes_key: string | null;
  public_id: string | null;
}

/**
 * Why one row (or, with the line of the element concerned, one part of the file) cannot be imported.
 * `reason` never repeats a secret value: errors are printed and logged.
 */
export interface ImportRowError {
  /** 1-based line in the file. */
  line: number;
  /** The column or element at fault (`serial`, `secret`, `counter`, ...) or `row`/`file` for the whole. */
  field: string;
  reason: string;
}

/** A token and the line it came from. */
export interface ParsedRow {
  line: number;
  token: ImportedToken;
}

/** A format parser's answer: the good rows and the errors of the bad ones (validation decides later). */
export interface FormatParseResult {
  rows: ParsedRow[];
  errors: ImportRowError[];
}

/**
 * Runs one field's parser and turns its FactordeskError into a row error, so that a row reports every bad
 * field at once rather than the first; other errors are bugs and propagate.
 */
export function parseField<T>(errors: ImportRowError[], line: number, field: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!isFactordeskError(e)) throw e;
    errors.push({ line, field, reason: e.userMessage });
    return undefined;
  }
}

/** An HOTP or TOTP token's record. */
export function oathToken(fields: {
  serial: string;
  type: TokenType;
  secretHex: string;
  digits: OtpDigits;
  algorithm: OtpAlgorithm;
  counter?: number;
  step?: number;
}): ImportedToken {
  const totp = fields.type === 't6' || fields.type === 't8';
  return {
    serial: fields.serial,
    type: fields.type,
    totp_step: totp ? (fields.step ?? 0) : 0,
    secret_hex: fields.secretHex,
    counter: totp ? 0 : (fields.counter ?? 0),
    digits: fields.digits,
    algorithm: fields.algorithm,
    private_id: null,
    aes_key: null,
    public_id: null,
  };
}

/** A YubiKey OTP token's record. */
export function yubikeyToken(fields: {
  serial: string;
  privateId: string;
  aesKey: string;
  publicId: string | null;
}): ImportedToken {
  return {
    serial: fields.serial,
    type: 'yk',
    totp_step: 0,
    secret_hex: null,
    counter: 0,
    digits: null,
    algorithm: null,
    private_id: fields.privateId,
    aes_key: fields.aesKey,
    public_id: fields.publicId,
  };
}
