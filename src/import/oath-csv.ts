/**
 * OATH CSV as privacyIDEA and LinOTP write it:
 *   serial, seed, hotp|totp, digits, counter (hotp) or step (totp)[, sha1|sha256|sha512]
 * Missing trailing columns take their defaults: hotp, 6 digits, counter 0 or step 30, sha1.
 */
import { readCsv, significantFields } from './csv-rows.js';
import {
  oathTokenType,
  parseAlgorithm,
  parseCounter,
  parseDigits,
  parseOathKind,
  parseSerial,
  parseStep,
} from './fields.js';
import {
  oathToken,
  parseField,
  type FormatParseResult,
  type ImportRowError,
  type ParsedRow,
} from './imported-token.js';
import { parseOtpSecret } from './secret.js';

export const OATH_CSV_LAYOUT = 'serial,seed,hotp|totp,digits,counter or step[,sha1|sha256|sha512]';

/** The tokens of an OATH CSV, with an error for each bad row. */
export function parseOathCsv(text: string): FormatParseResult {
  const read = readCsv(text);
  if ('error' in read) return { rows: [], errors: [read.error] };
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const { line, fields } of read.records) {
    const columns = significantFields(fields).length;
    if (columns < 2 || columns > 6) {
      const found = `${columns} column${columns === 1 ? '' : 's'}`;
      errors.push({ line, field: 'row', reason: `expected ${OATH_CSV_LAYOUT}; found ${found}` });
      continue;
    }
    const [serialText = '', seedText = '', kindText, digitsText, movingText, hashText] = fields;
    const serial = parseField(errors, line, 'serial', () => parseSerial(serialText));
    const secretHex = parseField(errors, line, 'secret', () => parseOtpSecret(seedText));
    const kind = parseField(errors, line, 'type', () => (kindText ? parseOathKind(kindText) : 'hotp'));
    const digits = parseField(errors, line, 'digits', () => parseDigits(digitsText));
    const algorithm = parseField(errors, line, 'algorithm', () => parseAlgorithm(hashText));
    const counter = kind === 'hotp' ? parseField(errors, line, 'counter', () => parseCounter(movingText)) : 0;
    const step = kind === 'totp' ? parseField(errors, line, 'step', () => parseStep(movingText)) : 0;
    if (
      serial === undefined ||
      secretHex === undefined ||
      kind === undefined ||
      digits === undefined ||
      algorithm === undefined ||
      counter === undefined ||
      step === undefined
    ) {
      continue;
    }
    const type = oathTokenType(kind, digits);
    rows.push({ line, token: oathToken({ serial, type, secretHex, digits, algorithm, counter, step }) });
  }
  return { rows, errors };
}
