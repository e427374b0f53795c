/**
 * The YubiKey Personalization Tool's configuration log, in its two layouts.
 *
 * "Yubico format" (one row per key, a trailing comma):
 *   Yubico OTP: serial, public id (modhex), private id (hex), AES key (32 hex), access code, timestamp,
 *   OATH-HOTP:  serial, token id (modhex or empty), counter, HMAC key (40 hex), access code, timestamp,
 * Rows of static-password keys leave the third cell empty and are refused. Challenge-response rows look
 * exactly like OATH-HOTP rows with counter 0 (the tool writes `,0,` for both), so they cannot be told apart.
 *
 * "Traditional format" (18 cells; the local timestamp may itself contain commas):
 *   event, timestamp, slot, public id, private id, key, current access code, new access code,
 *   3 fixed-modhex flags, HOTP digits, counter, 5 flags
 * It carries no serial, so the public id stands for it. `LOGGING START` lines are skipped.
 *
 * HOTP rows of the Yubico format do not say their code length: 6 unless the caller says 8.
 */
import { invalid } from '../errors.js';
import type { OtpDigits } from '../otp/options.js';
import { isModhex } from '../otp/yubico.js';
import { readCsv, type CsvRecord } from './csv-rows.js';
import { parseCounter, parseDigits, parseSerial } from './fields.js';
import {
  oathToken,
  parseField,
  yubikeyToken,
  type FormatParseResult,
  type ImportRowError,
  type ParsedRow,
} from './imported-token.js';
import { parseFixedHex, parseOtpSecret } from './secret.js';

/** The cells of a traditional row after the timestamp: slot through the last flag. */
const TRADITIONAL_TAIL = 16;
const TRADITIONAL_MIN = 2 + TRADITIONAL_TAIL;

/** Event names the traditional layout starts its rows with. */
const TRADITIONAL_EVENTS = [
  'yubico otp',
  'oath-hotp',
  'static password',
  'challenge-response',
  'configuration update',
  'configuration swap',
  'unknown programming mode',
  'logging start',
];
const TRADITIONAL_EVENT = new RegExp(`^(${TRADITIONAL_EVENTS.join('|')})`, 'i');

/** True when a row looks like the traditional layout (it starts with an event name). */
export function isTraditionalRow(fields: readonly string[]): boolean {
  return TRADITIONAL_EVENT.test(fields[0] ?? '');
}

/** True when a row looks like the Yubico layout (an ISO timestamp in the sixth cell). */
export function isYubicoFormatRow(fields: readonly string[]): boolean {
  return fields.length >= 6 && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(fields[5] ?? '');
}

export interface YubicoCsvOptions {
  /** Code length of OATH-HOTP rows in the Yubico layout, which does not record it. */
  hotpDigits?: OtpDigits;
}

function publicIdOf(text: string): string | null {
  const s = text.trim().toLowerCase();
  if (s === '') return null;
  if (!isModhex(s)) throw invalid('public id is not modhex (an even number of the characters cbdefghijklnrtuv)');
  return s;
}

/** The cells a row gives, whichever layout they came from. */
interface YubikeyCells {
  serial: string;
  publicId: string;
  privateId: string;
  key: string;
}

interface HotpCells {
  serial: string;
  counter: string;
  key: string;
  digits: OtpDigits;
}

function yubikeyRow(line: number, cells: YubikeyCells, errors: ImportRowError[]): ParsedRow | null {
  const publicId = parseField(errors, line, 'public_id', () => publicIdOf(cells.publicId));
  const serial = parseField(errors, line, 'serial', () => parseSerial(cells.serial || cells.publicId));
  const privateId = parseField(errors, line, 'private_id', () => parseFixedHex(cells.privateId, 6, 'private id'));
  const aesKey = parseField(errors, line, 'aes_key', () => parseFixedHex(cells.key, 16, 'AES key'));
  if (publicId === undefined || serial === undefined || privateId === undefined || aesKey === undefined) return null;
  return { line, token: yubikeyToken({ serial, privateId, aesKey, publicId }) };
}

function hotpRow(line: number, cells: HotpCells, errors: ImportRowError[]): ParsedRow | null {
  const { digits } = cells;
  if (cells.serial === '') {
    const reason = 'the row has no serial nor token id; the key cannot be told apart from others';
    errors.push({ line, field: 'serial', reason });
    return null;
  }
  const serial = parseField(errors, line, 'serial', () => parseSerial(cells.serial));
  const counter = parseField(errors, line, 'counter', () => parseCounter(cells.counter));
  const secretHex = parseField(errors, line, 'secret', () => parseOtpSecret(cells.key));
  if (serial === undefined || counter === undefined || secretHex === undefined) return null;
  const type = digits === 8 ? 'h8' : 'h6';
  return { line, token: oathToken({ serial, type, secretHex, digits, algorithm: 'sha1', counter }) };
}

function yubicoFormatRow(record: CsvRecord, opts: YubicoCsvOptions, errors: ImportRowError[]): ParsedRow | null {
  const { line, fields } = record;
  if (fields.length < 6) {
    const expected = 'serial,public id,private id or counter,key,access code,timestamp';
    errors.push({ line, field: 'row', reason: `expected ${expected}; found ${fields.length} columns` });
    return null;
  }
  const [serial = '', publicId = '', third = '', key = ''] = fields;
  if (third === '') {
    const reason = 'the row is a static-password configuration, which is not an OTP token';
    errors.push({ line, field: 'row', reason });
    return null;
  }
  // The key's length says the mode: 16 bytes of AES for Yubico OTP, 20 bytes of HMAC-SHA1 for OATH-HOTP.
  if (key.length === 40) {
    return hotpRow(line, { serial: serial || publicId, counter: third, key, digits: opts.hotpDigits ?? 6 }, errors);
  }
  return yubikeyRow(line, { serial, publicId, privateId: third, key }, errors);
}

function traditionalRow(record: CsvRecord, errors: ImportRowError[]): ParsedRow | null {
  const { line, fields } = record;
  const event = fields[0] ?? '';
  if (/^logging start/i.test(event)) return null;
  if (fields.length < TRADITIONAL_MIN) {
    const reason = `expected the ${TRADITIONAL_MIN} cells of the traditional format; found ${fields.length}`;
    errors.push({ line, field: 'row', reason });
    return null;
  }
  // Index from the end: a locale's timestamp may have split into several cells.
  const at = (i: number): string => fields[fields.length - TRADITIONAL_TAIL + i] ?? '';
  const [publicId, privateId, key, hotpDigits, counter] = [at(1), at(2), at(3), at(9), at(10)];
  if (/^yubico otp$/i.test(event)) return yubikeyRow(line, { serial: '', publicId, privateId, key }, errors);
  if (/^oath-hotp$/i.test(event)) {
    const digits = parseField(errors, line, 'digits', () => parseDigits(hotpDigits));
    if (digits === undefined) return null;
    return hotpRow(line, { serial: publicId, counter, key, digits }, errors);
  }
  errors.push({ line, field: 'row', reason: `the row records a '${event}' configuration, which is not an OTP token` });
  return null;
}

/** The tokens of a Personalization Tool log, in either layout (decided row by row), with an error for each bad row. */
export function parseYubicoCsv(text: string, opts: YubicoCsvOptions = {}): FormatParseResult {
  const read = readCsv(text);
  if ('error' in read) return { rows: [], errors: [read.error] };
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const record of read.records) {
    const traditional = isTraditionalRow(record.fields);
    const row = traditional ? traditionalRow(record, errors) : yubicoFormatRow(record, opts, errors);
    if (row !== null) rows.push(row);
  }
  return { rows, errors };
}
