/**
 * Duo Admin API request signing (canonical request v2 and v5, HMAC-SHA512), as the official clients send it,
 * so that a hub accepts requests from factordesk daemons and from stock Duo client libraries alike.
 *
 * Everything here is pure: the clock and the credential lookup are arguments.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Request parameters: an object (a value list repeats its key, in order), URLSearchParams, or key/value pairs. */
export type DuoParams =
  | Readonly<Record<string, string | readonly string[]>>
  | URLSearchParams
  | ReadonlyArray<readonly [string, string]>;

/** Canonical-request versions the hub accepts: v2 (params only) and v5 (params, body hash, x-duo headers hash). */
export type SignatureVersion = 2 | 5;

/** What is signed. `params` are the query (GET/DELETE) or form-body (v2 POST) parameters, never a JSON body. */
export interface CanonicalRequestInput {
  readonly date: string;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly params: DuoParams;
  /** The raw body (v5 hashes it; a JSON body's fields are not params, so the params line stays empty). */
  readonly body?: string | Uint8Array;
  readonly version: SignatureVersion;
  /** Extra `X-Duo-*` headers signed by v5; names are case-insensitive. */
  readonly duoHeaders?: Readonly<Record<string, string>>;
}

/** The headers a signed request carries. */
export interface SignedHeaders {
  readonly Date: string;
  readonly Authorization: string;
}

/** The two parts of a `Basic` Authorization header. */
export interface ParsedAuthorization {
  readonly ikey: string;
  /** Lower-case hex HMAC-SHA512. */
  readonly signature: string;
}

/** Why a request was refused; each maps to a 401 at the hub. */
export type VerifyFailure =
  | 'missing-authorization'
  | 'bad-authorization'
  | 'missing-date'
  | 'bad-date'
  | 'stale-date'
  | 'unknown-key'
  | 'bad-signature';

/** The outcome of {@link verifyRequest}. */
export type VerifyResult =
  | { readonly ok: true; readonly ikey: string; readonly version: SignatureVersion }
  | { readonly ok: false; readonly reason: VerifyFailure };

/** Request headers as Node gives them (lower-case names) or any case; a repeated header may be a list. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the server saw. `host` is the name the server is configured with (several accepted names allowed). */
export interface VerifyInput {
  readonly headers: RequestHeaders;
  readonly method: string;
  readonly host: string | readonly string[];
  readonly path: string;
  /** The parsed query and form parameters (verify against parsed values: wire escaping varies by client). */
  readonly params: DuoParams;
  /** The raw body bytes as received; empty or absent for GET/DELETE. */
  readonly body?: string | Uint8Array;
  readonly now: Date;
  /** The secret key of an active integration key; undefined for an unknown or revoked one. */
  readonly lookupSecret: (ikey: string) => string | undefined;
  readonly maxSkewSeconds?: number;
}

const SHA512_HEX_LENGTH = 128;
const DEFAULT_MAX_SKEW_SECONDS = 300;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** RFC 3986 percent-encoding of the UTF-8 bytes: only ALPHA, DIGIT and `-._~` stay as they are. */
export function percentEncode(value: string): string {
  let out = '';
  // Buffer.from replaces a lone surrogate with U+FFFD instead of throwing like encodeURIComponent.
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The parameters as an ordered list of pairs, whatever shape they were given in. */
function paramPairs(params: DuoParams): Array<readonly [string, string]> {
  if (params instanceof URLSearchParams) return [...params.entries()];
  if (Array.isArray(params)) return [...(params as ReadonlyArray<readonly [string, string]>)];
  const pairs: Array<readonly [string, string]> = [];
  for (const [key, value] of Object.entries(params as Readonly<Record<string, string | readonly string[]>>)) {
    if (typeof value === 'string') pairs.push([key, value]);
    else for (const v of value) pairs.push([key, v]);
  }
  return pairs;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical parameter string: `key=value` pairs percent-encoded, sorted by encoded key (a stable sort, so a
 * repeated key keeps its values in the order given), joined by `&`.
 */
export function canonicalParams(params: DuoParams): string {
  return encodedPairs(params, false);
}

/**
 * The same, but a repeated key's values sorted too: the Python and Ruby clients sign that form while sending
 * the values in their original order, so a server meets both.
 */
function canonicalParamsValuesSorted(params: DuoParams): string {
  return encodedPairs(params, true);
}

function encodedPairs(params: DuoParams, sortValues: boolean): string {
  const encoded = paramPairs(params).map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  encoded.sort((a, b) => compareCodeUnits(a[0], b[0]) || (sortValues ? compareCodeUnits(a[1], b[1]) : 0));
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

function sha512Hex(data: string | Uint8Array): string {
  return createHash('sha512').update(data).digest('hex');
}

/** Hex SHA-512 of the `X-Duo-*` headers (lower-cased names, sorted, names and values joined by NUL). */
export function canonicalDuoHeaders(duoHeaders: Readonly<Record<string, string>> = {}): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  const lowered = Object.entries(duoHeaders).map(([name, value]) => [name.toLowerCase(), value] as const);
  lowered.sort((a, b) => compareCodeUnits(a[0], b[0]));
  for (const [name, value] of lowered) {
    // NUL is the separator; a duplicate (differing only in case) would make the hash ambiguous.
    if (!name.startsWith('x-duo-')) throw new TypeError(`signed header ${name} must start with X-Duo-`);
    if (name.includes('\0') || value.includes('\0')) throw new TypeError(`signed header ${name} contains NUL`);
    if (seen.has(name)) throw new TypeError(`signed header ${name} is given twice`);
    seen.add(name);
    parts.push(name, value);
  }
  return sha512Hex(parts.join('\0'));
}

/** The canonical request string that is signed (lines joined by `\n`). */
export function canonicalRequest(input: CanonicalRequestInput): string {
  return canonicalLines(input, canonicalParams(input.params));
}

function canonicalLines(input: CanonicalRequestInput, paramsLine: string): string {
  const lines = [input.date, input.method.toUpperCase(), input.host.toLowerCase(), input.path, paramsLine];
  if (input.version === 5) {
    lines.push(sha512Hex(input.body ?? ''), canonicalDuoHeaders(input.duoHeaders));
  }
  return lines.join('\n');
}

function hmacHex(skey: string, canonical: string): string {
  return createHmac('sha512', skey).update(canonical, 'utf8').digest('hex');
}

/** Signs a request: the `Date` and `Authorization: Basic base64(ikey:hex(HMAC-SHA512))` headers to send. */
export function signRequest(
  input: Omit<CanonicalRequestInput, 'date' | 'version'> & {
    readonly ikey: string;
    readonly skey: string;
    /** A Date is formatted with {@link formatDuoDate}; a string is signed as given. */
    readonly date: Date | string;
    readonly version?: SignatureVersion;
  },
): SignedHeaders {
  const date = typeof input.date === 'string' ? input.date : formatDuoDate(input.date);
  const canonical = canonicalRequest({ ...input, date, version: input.version ?? 2 });
  const token = Buffer.from(`${input.ikey}:${hmacHex(input.skey, canonical)}`, 'utf8').toString('base64');
  return { Date: date, Authorization: `Basic ${token}` };
}

/** The ikey and signature of a `Basic` Authorization header; undefined when it is missing or garbled. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (header === undefined) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header.trim());
  if (!match?.[1] || match[1].length % 4 !== 0) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const ikey = decoded.slice(0, colon);
  const signature = decoded.slice(colon + 1).toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${SHA512_HEX_LENGTH}}$`).test(signature)) return undefined;
  return { ikey, signature };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An RFC 2822 date in UTC as the Python client writes it: `Tue, 21 Aug 2012 17:29:18 -0000`. */
export function formatDuoDate(date: Date): string {
  return `${DAYS[date.getUTCDay()]}, ${pad2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} -0000`;
}

/**
 * Parses an RFC 2822 date (`-0000`, `+0200`, `GMT`, `UT` or `UTC` zone; the `Tue, ` part optional but checked
 * when present); undefined for anything else. Stricter than `Date.parse`, which accepts nearly anything.
 */
export function parseDuoDate(value: string): Date | undefined {
  const match =
    /^(?:([A-Z][a-z]{2}), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UTC?|[+-]\d{4})$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  const [, dayName, dd, mon, yyyy, hh, mi, ss, zone] = match as unknown as string[];
  const month = MONTHS.indexOf(mon as (typeof MONTHS)[number]);
  const [day, year, hour, minute, second] = [dd, yyyy, hh, mi, ss].map(Number) as [number, number, number, number, number];
  if (month < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
  const localMs = Date.UTC(year, month, day, hour, minute, second);
  const local = new Date(localMs);
  // Date.UTC rolls 31 Feb over into March: a date that does not round-trip is garbled.
  if (local.getUTCDate() !== day || local.getUTCMonth() !== month) return undefined;
  if (dayName !== undefined && DAYS[local.getUTCDay()] !== dayName) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  }
  return new Date(localMs - offsetMinutes * 60_000);
}

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}

function duoHeadersOf(headers: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (!name.startsWith('x-duo-') || value === undefined) continue;
    out[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

function bodyIsEmpty(body: string | Uint8Array | undefined): boolean {
  return body === undefined || body.length === 0;
}

function isFormBody(headers: RequestHeaders): boolean {
  const type = headerValue(headers, 'content-type') ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/** Every canonical string a legitimate client could have signed for this request, with its version. */
function candidates(input: VerifyInput, date: string): Array<{ version: SignatureVersion; canonical: string }> {
  const hosts = typeof input.host === 'string' ? [input.host] : input.host;
  const paramLines = [...new Set([canonicalParams(input.params), canonicalParamsValuesSorted(input.params)])];
  const out: Array<{ version: SignatureVersion; canonical: string }> = [];
  let duoHeaders: Record<string, string> | undefined;
  try {
    duoHeaders = duoHeadersOf(input.headers);
    canonicalDuoHeaders(duoHeaders);
  } catch {
    duoHeaders = undefined; // a NUL in an X-Duo header: no v5 signature can cover it
  }
  // v2 does not cover the body, so it is only accepted when there is none or the form body is the params.
  const v2Allowed = bodyIsEmpty(input.body) || isFormBody(input.headers);
  for (const host of hosts) {
    for (const paramsLine of paramLines) {
      const base = { date, method: input.method, host, path: input.path, params: input.params, body: input.body };
      if (v2Allowed) out.push({ version: 2, canonical: canonicalLines({ ...base, version: 2 }, paramsLine) });
      if (duoHeaders) {
        out.push({ version: 5, canonical: canonicalLines({ ...base, version: 5, duoHeaders }, paramsLine) });
      }
    }
  }
  return out;
}

/**
 * Checks a signed request: headers present and well formed, Date within the allowed skew of `now`, the ikey
 * active, and the signature equal (constant-time) to a v2 or v5 signature of what the server received.
 */
export function verifyRequest(input: VerifyInput): VerifyResult {
  const fail = (reason: VerifyFailure): VerifyResult => ({ ok: false, reason });
  const authorization = headerValue(input.headers, 'authorization');
  if (authorization === undefined) return fail('missing-authorization');
  const parsed = parseAuthorization(authorization);
  if (!parsed) return fail('bad-authorization');
  const date = headerValue(input.headers, 'date');
  if (date === undefined) return fail('missing-date');
  const sent = parseDuoDate(date);
  if (!sent) return fail('bad-date');
  const maxSkewMs = (input.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  if (Math.abs(input.now.getTime() - sent.getTime()) > maxSkewMs) return fail('stale-date');
  const skey = input.lookupSecret(parsed.ikey);
  if (skey === undefined) return fail('unknown-key');

  const given = Buffer.from(parsed.signature, 'hex');
  let matched: SignatureVersion | undefined;
  // Every candidate is compared, so the time taken does not depend on which one (if any) matches.
  for (const { version, canonical } of candidates(input, date)) {
    const expected = Buffer.from(hmacHex(skey, canonical), 'hex');
    if (timingSafeEqual(expected, given) && matched === undefined) matched = version;
  }
  return matched === undefined ? fail('bad-signature') : { ok: true, ikey: parsed.ikey, version: matched };
}

/** {@link verifyRequest} with a credential lookup that may be asynchronous (a database read). */
export async function verifyRequestAsync(
  input: Omit<VerifyInput, 'lookupSecret'> & {
    readonly lookupSecret: (ikey: string) => Promise<string | undefined> | string | undefined;
  },
): Promise<VerifyResult> {
  const parsed = parseAuthorization(headerValue(input.headers, 'authorization'));
  const skey = parsed ? await input.lookupSecret(parsed.ikey) : undefined;
  return verifyRequest({ ...input, lookupSecret: (ikey) => (parsed && ikey === parsed.ikey ? skey : undefined) });
}
