/**
 * Devices (phones, tablets, landlines): input normalisation and the pure transitions of one device.
 * Membership lives on the device (`users`, a set); each user's order of its devices lives on the user.
 */
import { invalid, notFound, conflict } from '../errors.js';
import { PHONE_TYPES, PLATFORMS, type PhoneType, type Platform } from './enums.js';
import type { Phone } from './schemas.js';

/** Phone fields an administrator sets when adding or editing a device, once normalised (types from the schema). */
export type PhoneFields = Partial<Pick<Phone, 'type' | 'platform' | 'number' | 'extension' | 'name' | 'model' | 'os_version'>>;

/** The same fields as typed by a person or a script: any case, aliases, surrounding blanks. */
export type PhoneFieldsInput = { [K in keyof PhoneFields]?: string };

export const MAX_PHONE_NAME_LENGTH = 128;
export const MAX_PHONE_MODEL_LENGTH = 128;
export const MAX_EXTENSION_DIGITS = 10;
/** E.164 allows at most 15 digits; fewer than 3 is never a dialable number. */
const MIN_NUMBER_DIGITS = 3;
const MAX_NUMBER_DIGITS = 15;

const TYPE_ALIASES: Record<string, PhoneType> = {
  cell: 'mobile',
  cellphone: 'mobile',
  smartphone: 'mobile',
  'mobile phone': 'mobile',
  ipad: 'tablet',
  'desk phone': 'landline',
};

const PLATFORM_ALIASES: Record<string, Platform> = {
  ios: 'apple ios',
  iphone: 'apple ios',
  ipados: 'apple ios',
  android: 'google android',
  blackberry: 'rim blackberry',
  webos: 'palm webos',
  symbian: 'symbian os',
  j2me: 'java j2me',
  generic: 'generic smartphone',
};

/** The OS family Duo reports for a platform; empty where Duo reports none. */
const OS_FAMILY: Partial<Record<Platform, string>> = {
  'apple ios': 'iOS',
  'google android': 'Android',
  'windows phone': 'Windows Phone',
  'rim blackberry': 'BlackBerry',
};

/** What each type can do before activation says more: the factors Duo offers for it. */
const CAPABILITIES_BY_TYPE: Record<PhoneType, Phone['capabilities']> = {
  mobile: ['auto', 'push', 'phone', 'sms', 'mobile_otp'],
  tablet: ['auto', 'push', 'mobile_otp'],
  landline: ['auto', 'phone'],
  unknown: [],
};

/** Types that are reached by calling or texting, so a number is required. */
const NEEDS_NUMBER: ReadonlySet<PhoneType> = new Set(['mobile', 'landline']);

// Control and format characters make names unreadable in a terminal and can spoof other text.
const CONTROL = /\p{C}/u;

function collapse(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A phone type from any case or a common alias, e.g. `Mobile`, `cell`. */
export function parsePhoneType(value: string): PhoneType {
  const key = collapse(value);
  const found = (PHONE_TYPES as readonly string[]).includes(key) ? (key as PhoneType) : TYPE_ALIASES[key];
  if (found === undefined) {
    throw invalid(`type '${value}' is not a device type; use one of: ${PHONE_TYPES.join(', ')}`);
  }
  return found;
}

/** A platform from any case, Duo's label, or a common alias, e.g. `ios`, `Apple iOS`, `android`. */
export function parsePlatform(value: string): Platform {
  const key = collapse(value);
  const found = (PLATFORMS as readonly string[]).includes(key) ? (key as Platform) : PLATFORM_ALIASES[key];
  if (found === undefined) {
    throw invalid(
      `platform '${value}' is not known; use one of: ${PLATFORMS.join(', ')} (or ios, android)`,
    );
  }
  return found;
}

/**
 * A phone number with separators removed: an optional leading `+` then 3 to 15 digits.
 * Spaces, dashes, dots and parentheses are accepted as separators. Empty means "no number".
 */
export function normalizePhoneNumber(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  const plus = trimmed.startsWith('+') ? '+' : '';
  const body = trimmed.slice(plus.length);
  if (!/^[0-9 .()-]+$/.test(body)) {
    throw invalid(
      `number '${value}' is not a phone number; use digits with an optional leading +, e.g. +1 555 010 0000`,
    );
  }
  const digits = body.replace(/[^0-9]/g, '');
  if (digits.length < MIN_NUMBER_DIGITS || digits.length > MAX_NUMBER_DIGITS) {
    throw invalid(
      `number '${value}' has ${digits.length} digits; a phone number has ${MIN_NUMBER_DIGITS} to ${MAX_NUMBER_DIGITS}`,
    );
  }
  return plus + digits;
}

function normalizeExtension(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (!/^[0-9]+$/.test(trimmed) || trimmed.length > MAX_EXTENSION_DIGITS) {
    throw invalid(`extension '${value}' is not valid; use up to ${MAX_EXTENSION_DIGITS} digits only`);
  }
  return trimmed;
}

function normalizeText(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (CONTROL.test(trimmed)) throw invalid(`${field} contains control characters; use printable text`);
  const length = [...trimmed].length;
  if (length > max) throw invalid(`${field} is ${length} characters; at most ${max} are allowed`);
  return trimmed;
}

function normalizeOsVersion(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (!/^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$/.test(trimmed)) {
    throw invalid(`os_version '${value}' is not a version; use numbers separated by dots, e.g. 17.4.1`);
  }
  return trimmed;
}

/**
 * Validates and normalises each given field (absent fields stay absent). Whether a number is required
 * depends on the resulting device: given `current` (an edit), the edited device is checked here too;
 * createPhone and updatePhone always check it.
 */
export function normalizePhoneFields(input: PhoneFieldsInput, current?: Phone): PhoneFields {
  const out: PhoneFields = {};
  if (input.type !== undefined) out.type = parsePhoneType(input.type);
  if (input.platform !== undefined) out.platform = parsePlatform(input.platform);
  if (input.number !== undefined) out.number = normalizePhoneNumber(input.number);
  if (input.extension !== undefined) out.extension = normalizeExtension(input.extension);
  if (input.name !== undefined) out.name = normalizeText('name', input.name, MAX_PHONE_NAME_LENGTH);
  if (input.model !== undefined) out.model = normalizeText('model', input.model, MAX_PHONE_MODEL_LENGTH);
  if (input.os_version !== undefined) out.os_version = normalizeOsVersion(input.os_version);
  if (current !== undefined) {
    assertComplete({
      type: out.type ?? current.type,
      number: out.number ?? current.number,
      extension: out.extension ?? current.extension,
    });
  }
  return out;
}

function assertComplete(phone: Pick<Phone, 'type' | 'number' | 'extension'>): void {
  if (NEEDS_NUMBER.has(phone.type) && phone.number === '') {
    throw invalid(
      `a ${phone.type} device needs a number`,
      'give --number, or use type tablet for a device without a phone number',
    );
  }
  if (phone.extension !== '' && phone.number === '') {
    throw invalid('an extension needs a number; give the number too');
  }
}

/** The capabilities Duo offers for a device of this type. */
export function capabilitiesFor(type: PhoneType): Phone['capabilities'] {
  return [...CAPABILITIES_BY_TYPE[type]];
}

/** How a device is named in messages: its name, else its number, else its id. */
export function phoneLabel(phone: Pick<Phone, 'phone_id' | 'name' | 'number'>): string {
  return phone.name || phone.number || phone.phone_id;
}

/** True when the device is deleted (explicitly or because its last user was removed). */
export function isDeleted(phone: Pick<Phone, 'deletion'>): boolean {
  return phone.deletion !== '';
}

/**
 * A new device attached to one user. Type defaults to mobile (then a number is required); security
 * flags are Unknown and it is not activated until Duo Mobile is.
 */
export function createPhone(fields: PhoneFieldsInput | PhoneFields, userId: string, now: number, phoneId: string): Phone {
  const f = normalizePhoneFields(fields);
  const type = f.type ?? 'mobile';
  const platform = f.platform ?? 'unknown';
  const phone: Phone = {
    phone_id: phoneId,
    number: f.number ?? '',
    extension: f.extension ?? '',
    name: f.name ?? '',
    type,
    platform,
    model: f.model ?? '',
    os_family: OS_FAMILY[platform] ?? '',
    os_version: f.os_version ?? '',
    activated: false,
    sms_passcodes_sent: false,
    capabilities: capabilitiesFor(type),
    encrypted: 'Unknown',
    fingerprint: 'Unknown',
    screenlock: 'Unknown',
    tampered: 'Unknown',
    last_seen: '',
    users: [userId],
    deletion: '',
    created: now,
    updated: now,
  };
  assertComplete(phone);
  return phone;
}

/**
 * The device with one more user. An implicitly deleted device comes back to life (an attach beats the
 * removal of the last user); an explicitly deleted one stays deleted (a security action).
 */
export function attachUser(phone: Phone, userId: string, now: number, userLabel: string = userId): Phone {
  if (phone.deletion === 'explicit') {
    throw notFound(`device ${phoneLabel(phone)} was deleted`, 'add it again as a new device');
  }
  if (phone.users.includes(userId)) {
    throw conflict(`${userLabel} is already attached to device ${phoneLabel(phone)}`);
  }
  return { ...phone, users: [...phone.users, userId], deletion: '', updated: now };
}

/** The device without one user; removing the last user deletes the device (deletion 'implicit'). */
export function detachUser(
  phone: Phone,
  userId: string,
  now: number,
  userLabel: string = userId,
): { phone: Phone; deleted: boolean } {
  if (!phone.users.includes(userId) || isDeleted(phone)) {
    throw notFound(`${userLabel} is not attached to device ${phoneLabel(phone)}`);
  }
  const users = phone.users.filter((u) => u !== userId);
  const deleted = users.length === 0;
  return { phone: { ...phone, users, deletion: deleted ? 'implicit' : '', updated: now }, deleted };
}

/**
 * The device deleted on purpose (lost or stolen): removed from all its users at once. Idempotent, and an
 * implicit deletion becomes explicit, because an explicit delete must win over a later attach.
 */
export function markDeleted(phone: Phone, now: number): Phone {
  return { ...phone, users: [], deletion: 'explicit', updated: now };
}

/** The device with edited fields; changing the type resets capabilities to those of the new type. */
export function updatePhone(phone: Phone, fields: PhoneFieldsInput | PhoneFields, now: number): Phone {
  if (isDeleted(phone)) throw notFound(`device ${phoneLabel(phone)} was deleted`);
  const f = normalizePhoneFields(fields);
  const next: Phone = { ...phone, updated: now };
  if (f.number !== undefined) next.number = f.number;
  if (f.extension !== undefined) next.extension = f.extension;
  if (f.name !== undefined) next.name = f.name;
  if (f.model !== undefined) next.model = f.model;
  if (f.os_version !== undefined) next.os_version = f.os_version;
  if (f.platform !== undefined && f.platform !== phone.platform) {
    next.platform = f.platform;
    next.os_family = OS_FAMILY[f.platform] ?? '';
  }
  if (f.type !== undefined && f.type !== phone.type) {
    next.type = f.type;
    next.capabilities = capabilitiesFor(f.type);
  }
  assertComplete(next);
  return next;
}

/** True when more than one user shares the device. */
export function isShared(phone: Pick<Phone, 'users'>): boolean {
  return phone.users.length > 1;
}
