/**
 * The keys of the filter language, per entity: what each means, an example, and how its value is read.
 * The TUI help lists them from here, the parser validates against them, and `indexed-row.ts` prepares a
 * value for each one (the `field` a key reads; several keys may read one field).
 */
import { PHONE_TYPE_LABELS, PLATFORM_LABELS, TOKEN_TYPE_LABELS } from '../domain/enums.js';
import type { EntityName } from '../rpc/contract.js';

/**
 * How a key's value is written and compared:
 * - `choice`: one of a few values, by a word (`ios`) or, when `labelSubstring`, by part of a label (`windows`);
 * - `bool`: yes/no (also true/false);
 * - `text`: case-insensitive substring; `=value` for an exact match;
 * - `prefix`: case-insensitive prefix (identities: usernames, ids); `=value` for an exact match;
 * - `digits`: phone numbers, compared on digits only (`number:555 01` finds `+1 555-0100`), substring;
 * - `version`: dotted numbers with `<`, `<=`, `>`, `>=`, compared on the precision given (`os:17` = 17.x);
 * - `count`: a whole number with optional comparison (`users:>1`);
 * - `age`: a last-seen time: `never`, `<7d` (seen within), `>30d` (not seen for), or a date with a comparison;
 * - `since` / `until`: a date (`2024-05-01`, inclusive) or a duration back from now (`7d`).
 */
export type KeyKind = 'choice' | 'bool' | 'text' | 'prefix' | 'digits' | 'version' | 'count' | 'age' | 'since' | 'until';

/** One accepted value of a `choice` key: the prepared value it matches, the words that name it, its label. */
export interface Choice {
  value: string;
  /** The first word is the one error messages list. */
  words: readonly string[];
  label: string;
}

export interface FilterKeyDef {
  key: string;
  kind: KeyKind;
  /** Where the prepared value lives in `IndexedRow.values`; defaults to `key`. */
  field?: string;
  description: string;
  example: string;
  choices?: readonly Choice[];
  /** For `choice`: a value that is part of a label also matches (`platform:windows` → both Windows). */
  labelSubstring?: boolean;
}

/** What the TUI help shows for a key. */
export interface FilterKeyInfo {
  key: string;
  description: string;
  example: string;
}

/** A yes/no/unknown device property as a choice key (Duo reports e.g. Encrypted / Unencrypted / Unknown). */
function tri(key: string, yes: string, no: string, description: string, extraNo: readonly string[] = []): FilterKeyDef {
  return {
    key,
    kind: 'choice',
    description,
    example: `${key}:no`,
    choices: [
      { value: 'yes', words: ['yes', 'true', yes.toLowerCase()], label: yes },
      { value: 'no', words: ['no', 'false', no.toLowerCase(), ...extraNo], label: no },
      { value: 'unknown', words: ['unknown'], label: 'Unknown' },
    ],
  };
}

const PLATFORM_WORDS: Record<keyof typeof PLATFORM_LABELS, readonly string[]> = {
  'apple ios': ['ios', 'apple ios'],
  'google android': ['android', 'google android'],
  'windows phone': ['windows phone', 'winphone'],
  'rim blackberry': ['blackberry', 'rim blackberry'],
  'java j2me': ['j2me', 'java j2me'],
  'palm webos': ['webos', 'palm webos'],
  'symbian os': ['symbian', 'symbian os'],
  'windows mobile': ['windows mobile'],
  'generic smartphone': ['generic', 'generic smartphone'],
  unknown: ['unknown'],
};

const platformChoices: Choice[] = Object.entries(PLATFORM_LABELS).map(([value, label]) => ({
  value,
  words: PLATFORM_WORDS[value as keyof typeof PLATFORM_LABELS],
  label,
}));

const phoneTypeChoices: Choice[] = Object.entries(PHONE_TYPE_LABELS).map(([value, label]) => ({
  value,
  words: [value],
  label,
}));

const tokenTypeChoices: Choice[] = Object.entries(TOKEN_TYPE_LABELS).map(([value, label]) => ({
  value,
  words: value === 'yk' ? ['yk', 'yubikey'] : value === 'd1' ? ['d1', 'd100'] : [value],
  label,
}));

const words = (value: string, ...more: string[]): Choice => ({ value, words: [value, ...more], label: value });

const idKey = (what: string, example: string): FilterKeyDef => ({
  key: 'id',
  kind: 'prefix',
  description: `${what} id (prefix)`,
  example: `id:${example}`,
});

/** The keys of every entity, in the order the help lists them. */
export const FILTER_KEYS: Readonly<Record<EntityName, readonly FilterKeyDef[]>> = {
  devices: [
    {
      key: 'platform',
      kind: 'choice',
      labelSubstring: true,
      description: 'OS platform: ios, android, … or part of its name',
      example: 'platform:ios',
      choices: platformChoices,
    },
    { key: 'type', kind: 'choice', labelSubstring: true, description: 'mobile, tablet, landline or unknown', example: 'type:tablet', choices: phoneTypeChoices },
    { key: 'os', kind: 'version', description: 'OS version: 17 means 17.x; <, <=, >, >= compare', example: 'os:<17' },
    { key: 'model', kind: 'text', description: 'model contains the text', example: 'model:pixel' },
    { key: 'name', kind: 'text', description: 'device name contains the text', example: 'name:"Alice\'s iPad"' },
    { key: 'number', kind: 'digits', description: 'phone number contains the digits', example: 'number:555' },
    tri('encrypted', 'Encrypted', 'Unencrypted', 'disk encryption: yes, no or unknown'),
    tri('fingerprint', 'Configured', 'Disabled', 'fingerprint or face unlock: yes, no or unknown'),
    tri('screenlock', 'Locked', 'Unlocked', 'screen lock: yes, no or unknown'),
    tri('tampered', 'Tampered', 'Not Tampered', 'jailbroken or rooted: yes, no or unknown', ['untampered']),
    { key: 'activated', kind: 'bool', description: 'Duo Mobile activated: yes or no', example: 'activated:no' },
    { key: 'shared', kind: 'bool', description: 'attached to two or more users: yes or no', example: 'shared:yes' },
    { key: 'user', kind: 'prefix', description: 'an attached username starts with the text (=name: exactly)', example: 'user:alice' },
    { key: 'users', kind: 'count', description: 'number of attached users', example: 'users:>1' },
    {
      key: 'last_seen',
      kind: 'age',
      description: 'never, <7d (seen within 7 days), >30d (not seen for 30 days; never-seen included), or a date',
      example: 'last_seen:>30d',
    },
    idKey('phone', 'DP'),
  ],
  users: [
    { key: 'username', kind: 'prefix', description: 'username starts with the text (=name: exactly)', example: 'username:al' },
    { key: 'name', kind: 'text', description: 'real name contains the text', example: 'name:smith' },
    { key: 'email', kind: 'text', description: 'e-mail contains the text', example: 'email:@example.com' },
    {
      key: 'status',
      kind: 'choice',
      labelSubstring: true,
      description: 'active, bypass, disabled or locked out',
      example: 'status:disabled',
      choices: [words('active'), words('bypass'), words('disabled'), words('locked out', 'locked', 'lockedout')],
    },
    { key: 'phones', kind: 'count', description: 'number of attached devices', example: 'phones:0' },
    { key: 'tokens', kind: 'count', description: 'number of hardware tokens', example: 'tokens:>=1' },
    { key: 'u2f', kind: 'count', description: 'number of U2F/WebAuthn registrations', example: 'u2f:>0' },
    idKey('user', 'DU'),
  ],
  tokens: [
    {
      key: 'type',
      kind: 'choice',
      labelSubstring: true,
      description: 'h6, h8, t6, t8, yk, d1, or part of the name (hotp, totp, yubikey)',
      example: 'type:hotp',
      choices: tokenTypeChoices,
    },
    { key: 'serial', kind: 'text', description: 'serial number contains the text', example: 'serial:1234' },
    { key: 'user', kind: 'prefix', description: 'an assigned username starts with the text', example: 'user:alice' },
    { key: 'users', kind: 'count', description: 'number of assigned users', example: 'users:0' },
    { key: 'admin', kind: 'text', description: 'an attached administrator’s name contains the text', example: 'admin:jane' },
    {
      key: 'origin',
      kind: 'choice',
      labelSubstring: true,
      description: 'third-party (imported) or vendor (bought from Duo)',
      example: 'origin:vendor',
      choices: [words('third-party', 'thirdparty', '3rd-party'), words('vendor')],
    },
    idKey('token', 'DH'),
  ],
  u2f: [
    {
      key: 'kind',
      kind: 'choice',
      description: 'u2f or webauthn',
      example: 'kind:webauthn',
      choices: [words('u2f'), words('webauthn')],
    },
    { key: 'user', kind: 'prefix', description: 'username starts with the text', example: 'user:alice' },
    { key: 'name', kind: 'text', description: 'credential name or label contains the text', example: 'name:yubikey' },
    idKey('registration', 'DR'),
  ],
  admins: [
    {
      key: 'role',
      kind: 'choice',
      labelSubstring: true,
      description: 'owner, administrator, user manager, help desk, billing, read-only',
      example: 'role:owner',
      choices: [
        words('owner'),
        words('administrator', 'admin'),
        words('user manager', 'user-manager', 'manager'),
        words('help desk', 'helpdesk', 'help-desk'),
        words('billing'),
        words('read-only', 'readonly'),
      ],
    },
    { key: 'name', kind: 'text', description: 'name contains the text', example: 'name:jane' },
    { key: 'email', kind: 'text', description: 'e-mail contains the text', example: 'email:example.com' },
    {
      key: 'status',
      kind: 'choice',
      description: 'active or disabled',
      example: 'status:active',
      choices: [words('active'), words('disabled')],
    },
    { key: 'token', kind: 'prefix', description: 'an attached token serial starts with the text', example: 'token:1234' },
    idKey('admin', 'DE'),
  ],
  audit: [
    { key: 'admin', kind: 'text', description: 'administrator name (or id) contains the text', example: 'admin:jane' },
    { key: 'action', kind: 'text', description: 'action contains the text', example: 'action:delete' },
    { key: 'entity', kind: 'prefix', description: 'kind of record: user, phone, token, …', example: 'entity:phone' },
    { key: 'id', kind: 'prefix', description: 'id of the record acted on (prefix)', example: 'id:DP' },
    {
      key: 'since',
      kind: 'since',
      field: 'time',
      description: 'on or after a date (UTC), or within a duration back from now',
      example: 'since:2024-05-01',
    },
    {
      key: 'until',
      kind: 'until',
      field: 'time',
      description: 'on or before a date (UTC, whole day), or older than a duration',
      example: 'until:7d',
    },
  ],
};

/** The key definition of `key` for `entity` (keys are case-insensitive), or undefined. */
export function findKey(entity: EntityName, key: string): FilterKeyDef | undefined {
  const lower = key.toLowerCase();
  return FILTER_KEYS[entity].find((k) => k.key === lower);
}

/** The keys of an entity for the TUI help: key, what it means, an example. */
export function filterKeys(entity: EntityName): FilterKeyInfo[] {
  return FILTER_KEYS[entity].map(({ key, description, example }) => ({ key, description, example }));
}

/** Where a key's prepared value lives in `IndexedRow.values`. */
export function fieldOf(def: FilterKeyDef): string {
  return def.field ?? def.key;
}
