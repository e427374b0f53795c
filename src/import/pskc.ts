/**
 * PSKC (RFC 6030), the XML key container token vendors ship. Supported: plain values (§4), values
 * encrypted with AES-CBC under a pre-shared key (§6.1) or under a key derived from a password with
 * PBKDF2 (§6.2). Encrypted values must carry a MAC (§6.1.1: HMAC over IV + ciphertext, keyed by the
 * container's MACKey, or by the encryption key in files without one), checked before anything is
 * decrypted. Keys other than HOTP and TOTP are refused; PIN keys (figure 5) are not tokens and are skipped.
 */
import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalid } from '../errors.js';
import type { OtpDigits } from '../otp/options.js';
import {
  oathTokenType,
  parseAlgorithm,
  parseCounter,
  parseDigits,
  parseSerial,
  parseStep,
  type OathKind,
} from './fields.js';
import {
  oathToken,
  parseField,
  type FormatParseResult,
  type ImportRowError,
  type ParsedRow,
} from './imported-token.js';
import { secretBytesToHex } from './secret.js';

/** What unlocks an encrypted container: a pre-shared key (hex or bytes) or a password. */
export interface PskcOptions {
  preSharedKey?: string | Uint8Array;
  password?: string;
}

type XmlNode = Record<string | symbol, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const CIPHERS: Record<string, { name: string; keyBytes: number }> = {
  'aes128-cbc': { name: 'aes-128-cbc', keyBytes: 16 },
  'aes192-cbc': { name: 'aes-192-cbc', keyBytes: 24 },
  'aes256-cbc': { name: 'aes-256-cbc', keyBytes: 32 },
};

const HMACS = new Set(['sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/** PBKDF2 work factor ceiling: a hostile file must not tie the hub up for minutes. */
const MAX_PBKDF2_ITERATIONS = 5_000_000;

const TAMPERED = 'wrong key or password, or the file was altered';

/** A failure tied to a part of the file (`field`), turned into a row error where it is caught. */
class PskcError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: unknown, name: string): unknown {
  return isNode(node) ? node[name] : undefined;
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (isNode(node) && typeof node['#text'] === 'string') return node['#text'].trim();
  return '';
}

function attr(node: unknown, name: string): string | undefined {
  const v = child(node, `@${name}`);
  return typeof v === 'string' ? v.trim() : undefined;
}

function lineAt(text: string, node: unknown, fallback = 1): number {
  const meta = isNode(node) ? (node[META] as { startIndex?: number } | undefined) : undefined;
  if (meta?.startIndex === undefined) return fallback;
  let line = 1;
  for (let i = 0; i < meta.startIndex; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function base64(value: string, what: string, field = what): Buffer {
  const s = value.replace(/\s+/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    throw new PskcError(field, `${what} is not valid base64`);
  }
  return Buffer.from(s, 'base64');
}

/** The last URI fragment or path segment of an algorithm identifier, lower case. */
function algorithmName(uri: string | undefined): string {
  return (uri ?? '').toLowerCase().split(/[#:/]/).pop() ?? '';
}

function hmacName(uri: string | undefined, what: string, field: string): string {
  const m = /^hmac-(sha\d+)$/.exec(algorithmName(uri));
  if (m === null || !HMACS.has(m[1]!)) {
    throw new PskcError(field, `${what} algorithm '${uri ?? ''}' is not supported`);
  }
  return m[1]!;
}

/** AES-CBC as XML Encryption uses it: the IV leads the cipher text; padding bytes other than the last are arbitrary. */
function decryptCbc(encryptionMethod: unknown, key: Buffer, data: Buffer, what: string, field: string): Buffer {
  const uri = attr(encryptionMethod, 'Algorithm');
  const cipher = CIPHERS[algorithmName(uri)];
  if (cipher === undefined) {
    const reason = `${what} uses encryption '${uri ?? '(none given)'}'; only AES-128/192/256-CBC is supported`;
    throw new PskcError(field, reason);
  }
  if (key.length !== cipher.keyBytes) {
    const reason = `the decryption key is ${key.length} bytes; ${algorithmName(uri)} needs ${cipher.keyBytes}`;
    throw new PskcError('key', reason);
  }
  if (data.length < 32 || data.length % 16 !== 0) {
    throw new PskcError(field, `${what} is not an IV followed by whole AES blocks`);
  }
  const decipher = createDecipheriv(cipher.name, key, data.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 16) throw new PskcError(field, `${what} does not decrypt: ${TAMPERED}`);
  return plain.subarray(0, plain.length - pad);
}

/** The keys that open the container's encrypted values. */
interface Unlock {
  key: Buffer;
  mac: { hash: string; key: Buffer } | null;
}

function presharedKeyBytes(value: string | Uint8Array): Buffer {
  if (typeof value !== 'string') return Buffer.from(value);
  const s = value.replace(/\s+/g, '');
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(s)) {
    throw new PskcError('key', 'the pre-shared key must be given in hex');
  }
  return Buffer.from(s, 'hex');
}

function derivePbkdf2(derived: unknown, password: string): Buffer {
  const method = child(derived, 'KeyDerivationMethod');
  if (algorithmName(attr(method, 'Algorithm')) !== 'pbkdf2') {
    const reason = `key derivation '${attr(method, 'Algorithm') ?? ''}' is not supported; only PBKDF2 is`;
    throw new PskcError('key', reason);
  }
  const params = child(method, 'PBKDF2-params');
  const salt = base64(textOf(child(child(params, 'Salt'), 'Specified')), 'the PBKDF2 salt', 'key');
  const iterations = Number(textOf(child(params, 'IterationCount')));
  const keyLength = Number(textOf(child(params, 'KeyLength')) || '16');
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new PskcError('key', `PBKDF2 iteration count must be from 1 to ${MAX_PBKDF2_ITERATIONS}`);
  }
  if (![16, 24, 32].includes(keyLength)) throw new PskcError('key', 'PBKDF2 key length must be 16, 24 or 32 bytes');
  const prf = attr(child(params, 'PRF'), 'Algorithm');
  const hash = prf === undefined ? 'sha1' : hmacName(prf, 'PBKDF2 PRF', 'key');
  return pbkdf2Sync(password, salt, iterations, keyLength, hash);
}

function encryptionKey(container: unknown, opts: PskcOptions): Buffer {
  const element = child(container, 'EncryptionKey');
  const derived = child(element, 'DerivedKey');
  if (derived !== undefined) {
    const name = textOf(child(derived, 'MasterKeyName'));
    if (opts.password === undefined) {
      const reason = `the secrets are protected by a password${name ? ` ('${name}')` : ''}; give the password`;
      throw new PskcError('password', reason);
    }
    return derivePbkdf2(derived, opts.password);
  }
  if (child(element, 'X509Data') !== undefined) {
    throw new PskcError('key', 'the secrets are encrypted to a certificate (asymmetric keys), which is not supported');
  }
  const name = textOf(child(element, 'KeyName'));
  if (opts.preSharedKey === undefined) {
    const reason = `the secrets are encrypted with a pre-shared key${name ? ` ('${name}')` : ''}; give that key in hex`;
    throw new PskcError('key', reason);
  }
  return presharedKeyBytes(opts.preSharedKey);
}

function unlock(container: unknown, opts: PskcOptions): Unlock {
  const key = encryptionKey(container, opts);
  const method = child(container, 'MACMethod');
  if (method !== undefined) {
    const hash = hmacName(attr(method, 'Algorithm'), 'MAC', 'mac');
    const macKeyNode = child(method, 'MACKey');
    if (macKeyNode === undefined) return { key, mac: { hash, key } };
    const encrypted = base64(textOf(child(child(macKeyNode, 'CipherData'), 'CipherValue')), 'the MAC key', 'mac');
    const macKey = decryptCbc(child(macKeyNode, 'EncryptionMethod'), key, encrypted, 'the MAC key', 'mac');
    return { key, mac: { hash, key: macKey } };
  }
  // Drafts before RFC 6030 named the MAC with a bare MACAlgorithm element and keyed it with the encryption key.
  const legacy = child(container, 'MACAlgorithm');
  if (legacy !== undefined) return { key, mac: { hash: hmacName(textOf(legacy), 'MAC', 'mac'), key } };
  return { key, mac: null };
}

type DataValue = { text: string } | { bytes: Buffer };

/**
 * The value of a Data element (Secret, Counter, TimeInterval): its PlainValue text, or the bytes of its
 * EncryptedValue once the MAC holds; undefined when the element is absent.
 */
function readValue(element: unknown, what: string, getUnlock: () => Unlock): DataValue | undefined {
  if (element === undefined) return undefined;
  const plain = child(element, 'PlainValue');
  if (plain !== undefined) return { text: textOf(plain) };
  const encrypted = child(element, 'EncryptedValue');
  if (encrypted === undefined) throw new PskcError(what, `${what} has neither a PlainValue nor an EncryptedValue`);
  const { key, mac } = getUnlock();
  const data = base64(textOf(child(child(encrypted, 'CipherData'), 'CipherValue')), what);
  if (mac === null) {
    throw new PskcError('mac', `${what} is encrypted but the file has no MAC method, so it cannot be checked`);
  }
  const valueMac = textOf(child(element, 'ValueMAC'));
  if (valueMac === '') throw new PskcError('mac', `${what} is encrypted but has no ValueMAC, so it cannot be checked`);
  const expected = createHmac(mac.hash, mac.key).update(data).digest();
  const given = base64(valueMac, 'the ValueMAC', 'mac');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PskcError('mac', `the MAC of ${what} does not match: ${TAMPERED}`);
  }
  return { bytes: decryptCbc(child(encrypted, 'EncryptionMethod'), key, data, what, what) };
}

function keyKind(algorithmUri: string | undefined): OathKind | 'pin' | null {
  const name = algorithmName(algorithmUri);
  if (name === 'hotp' || name === 'totp' || name === 'pin') return name;
  return null;
}

/** Runs a step that may fail with a PskcError or a FactordeskError, recording either as a row error. */
function attempt<T>(errors: ImportRowError[], line: number, field: string, run: () => T): T | undefined {
  try {
    return parseField(errors, line, field, run);
  } catch (e) {
    if (!(e instanceof PskcError)) throw e;
    errors.push({ line, field: e.field, reason: e.reason });
    return undefined;
  }
}

interface KeyContext {
  line: number;
  getUnlock: () => Unlock;
  errors: ImportRowError[];
}

function readSecret(key: unknown, ctx: KeyContext): string | undefined {
  const element = child(child(key, 'Data'), 'Secret');
  if (element === undefined) {
    const reference = textOf(child(key, 'KeyReference'));
    const reason = reference
      ? `the key carries no secret: it is derived from master key '${reference}' (KeyReference), ` +
        'which this import cannot use'
      : 'the key carries no secret';
    ctx.errors.push({ line: ctx.line, field: 'secret', reason });
    return undefined;
  }
  return attempt(ctx.errors, ctx.line, 'secret', () => {
    const value = readValue(element, 'secret', ctx.getUnlock)!;
    return secretBytesToHex('bytes' in value ? value.bytes : base64(value.text, 'secret'));
  });
}

function readNumber(
  key: unknown,
  name: string,
  field: string,
  parse: (s: string | undefined) => number,
  ctx: KeyContext,
): number | undefined {
  return attempt(ctx.errors, ctx.line, field, () => {
    const value = readValue(child(child(key, 'Data'), name), field, ctx.getUnlock);
    if (value === undefined || 'text' in value) return parse(value?.text);
    // An encrypted integer is its big-endian bytes.
    return parse(BigInt(`0x${value.bytes.toString('hex') || '0'}`).toString());
  });
}

function parseResponseFormat(format: unknown): OtpDigits {
  const encoding = attr(format, 'Encoding');
  if (encoding !== undefined && encoding.toUpperCase() !== 'DECIMAL') {
    throw invalid(`response encoding '${encoding}' is not supported; tokens show decimal codes`);
  }
  return parseDigits(attr(format, 'Length'));
}

function parseKeyPackage(pkg: unknown, ctx: KeyContext): ParsedRow | null {
  const { line, errors } = ctx;
  const key = child(pkg, 'Key');
  if (!isNode(key)) {
    const reason = Array.isArray(key) ? 'a KeyPackage holds more than one Key' : 'the KeyPackage has no Key';
    errors.push({ line, field: 'row', reason });
    return null;
  }
  const kind = keyKind(attr(key, 'Algorithm'));
  if (kind === 'pin') return null;
  if (kind === null) {
    const algorithm = attr(key, 'Algorithm') ?? '(none)';
    const reason = `key algorithm '${algorithm}' is not supported; only HOTP and TOTP keys can be imported`;
    errors.push({ line, field: 'type', reason });
    return null;
  }
  const serialText = textOf(child(child(pkg, 'DeviceInfo'), 'SerialNo')) || (attr(key, 'Id') ?? '');
  const serial = parseField(errors, line, 'serial', () => parseSerial(serialText));
  const params = child(key, 'AlgorithmParameters');
  const digits = parseField(errors, line, 'digits', () => parseResponseFormat(child(params, 'ResponseFormat')));
  const algorithm = parseField(errors, line, 'algorithm', () => parseAlgorithm(textOf(child(params, 'Suite'))));
  const secretHex = readSecret(key, ctx);
  const counter = kind === 'hotp' ? readNumber(key, 'Counter', 'counter', parseCounter, ctx) : 0;
  const step = kind === 'totp' ? readNumber(key, 'TimeInterval', 'step', parseStep, ctx) : 0;
  if (
    serial === undefined ||
    digits === undefined ||
    algorithm === undefined ||
    secretHex === undefined ||
    counter === undefined ||
    step === undefined
  ) {
    return null;
  }
  const type = oathTokenType(kind, digits);
  return { line, token: oathToken({ serial, type, secretHex, digits, algorithm, counter, step }) };
}

/** True when a text looks like XML rather than CSV. */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

function fileError(line: number, field: string, reason: string): FormatParseResult {
  return { rows: [], errors: [{ line, field, reason }] };
}

/** The HOTP/TOTP tokens of a PSKC container, with an error for each key that cannot be imported. */
export function parsePskc(file: string, opts: PskcOptions = {}): FormatParseResult {
  const text = file.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) {
    return fileError(1, 'file', 'PSKC files with a DOCTYPE are refused (PSKC never needs one)');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) return fileError(valid.err.line, 'file', `the XML is malformed: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    // Values stay text: a serial like 000123 must not become the number 123.
    parseTagValue: false,
    parseAttributeValue: false,
    captureMetaData: true,
    isArray: (name) => name === 'KeyPackage',
  });
  const container = child(parser.parse(text) as unknown, 'KeyContainer');
  if (!isNode(container)) return fileError(1, 'file', 'not a PSKC file: there is no KeyContainer element');
  const containerLine = lineAt(text, container);
  const version = attr(container, 'Version');
  if (version !== undefined && version !== '1.0' && version !== '1') {
    return fileError(containerLine, 'file', `PSKC version ${version} is not supported; only 1.0 is`);
  }
  // The container is unlocked once, on the first encrypted value; a failure is then reported once for the file.
  let unlocked: Unlock | PskcError | undefined;
  const getUnlock = (): Unlock => {
    if (unlocked === undefined) {
      try {
        unlocked = unlock(container, opts);
      } catch (e) {
        if (!(e instanceof PskcError)) throw e;
        unlocked = e;
      }
    }
    if (unlocked instanceof PskcError) throw unlocked;
    return unlocked;
  };
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const pkg of (child(container, 'KeyPackage') as unknown[] | undefined) ?? []) {
    const row = parseKeyPackage(pkg, { line: lineAt(text, pkg, containerLine), getUnlock, errors });
    if (row !== null) rows.push(row);
  }
  const failure = unlocked;
  if (failure instanceof PskcError) {
    const at = lineAt(text, child(container, 'EncryptionKey') ?? child(container, 'MACMethod'), containerLine);
    const others = errors.filter((e) => e.reason !== failure.reason);
    return { rows: [], errors: [{ line: at, field: failure.field, reason: failure.reason }, ...others] };
  }
  return { rows, errors };
}
