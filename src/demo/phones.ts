/**
 * Demo devices: platforms, OS versions and models in the proportions of a corporate fleet (iOS ~55%,
 * Android ~40%, a few landlines and legacy devices), security flags only where Duo Mobile reports them,
 * unique fictional numbers, and last-seen times over the past 90 days.
 */
import { PLATFORM_LABELS, type PhoneType, type Platform } from '../domain/enums.js';
import type { Phone } from '../domain/schemas.js';
import { MAX_USERS_PER_PHONE, type Attachments } from './attachments.js';
import {
  ANDROID_PHONES,
  ANDROID_TABLETS,
  ANDROID_VERSIONS,
  IOS_VERSIONS,
  IPADS,
  IPHONES,
  LANDLINE_NAMES,
  MOBILE_NAMES,
  OTHER_DEVICES,
  modelsFor,
  type DeviceModel,
} from './catalog.js';
import { categoryDeck, pastTime, type Rng } from './random.js';

const DAY = 86_400_000;

type Kind = 'ios-phone' | 'ios-tablet' | 'android-phone' | 'android-tablet' | 'landline' | 'other';
const KINDS: readonly Kind[] = ['ios-phone', 'ios-tablet', 'android-phone', 'android-tablet', 'landline', 'other'];
/** iOS 55% (of which iPads 5), Android 40% (tablets 3.5), landlines 3%, legacy and unknown 2%. */
const KIND_WEIGHTS = [50, 5, 36.5, 3.5, 3, 2];

type Capability = Phone['capabilities'][number];
const SMART_CAPABILITIES: Capability[] = ['auto', 'push', 'sms', 'phone', 'mobile_otp'];

/** Security flags of devices that run Duo Mobile: most encrypted, locked and fingerprint-enabled; a few tampered. */
const ENCRYPTED_DECK = { values: ['Encrypted', 'Unencrypted', 'Unknown'], weights: [94, 5, 1] } as const;
const FINGERPRINT_DECK = { values: ['Configured', 'Disabled', 'Unknown'], weights: [78, 20, 2] } as const;
const SCREENLOCK_DECK = { values: ['Locked', 'Unlocked', 'Unknown'], weights: [94, 5, 1] } as const;
const TAMPERED_DECK = { values: ['Not Tampered', 'Tampered', 'Unknown'], weights: [98, 1, 1] } as const;

/** Exchanges 200–999 × lines 0000–9999 under area code 555: the most numbers the generator can make unique. */
export const NUMBER_SPACE = 8_000_000;
/** Odd and not a multiple of 5, hence coprime with NUMBER_SPACE: k ↦ k·STEP mod N is a bijection. */
const NUMBER_STEP = 3_967_123;

/** The k-th unique fictional number (`+1555` + exchange + line) of a sequence starting at `offset`. */
export function demoNumber(k: number, offset: number): string {
  const n = (k * NUMBER_STEP + offset) % NUMBER_SPACE;
  return `+1555${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
}

export interface PhoneContext {
  phoneIds: readonly string[];
  userIds: readonly string[];
  /** Given names by user index, for names like "Alice's iPad". */
  firstNames: readonly string[];
  links: Attachments;
  now: number;
}

interface Hardware {
  type: PhoneType;
  platform: Platform;
  model: string;
  os_version: string;
  smart: boolean;
}

const OTHER_WEIGHTS = OTHER_DEVICES.map((d) => [d, d.weight] as const);

function hardwareOf(rng: Rng, kind: Kind): Hardware {
  switch (kind) {
    case 'ios-phone':
    case 'ios-tablet': {
      const major = rng.weighted(IOS_VERSIONS.majors);
      const models: readonly DeviceModel[] = kind === 'ios-phone' ? IPHONES : IPADS;
      return {
        type: kind === 'ios-phone' ? 'mobile' : 'tablet',
        platform: 'apple ios',
        model: rng.pick(modelsFor(models, major)).name,
        os_version: rng.weighted(IOS_VERSIONS.releases(major)),
        smart: true,
      };
    }
    case 'android-phone':
    case 'android-tablet': {
      const major = rng.weighted(ANDROID_VERSIONS.majors);
      const models = kind === 'android-phone' ? ANDROID_PHONES : ANDROID_TABLETS;
      return {
        type: kind === 'android-phone' ? 'mobile' : 'tablet',
        platform: 'google android',
        model: rng.pick(modelsFor(models, major)).name,
        os_version: String(major),
        smart: true,
      };
    }
    case 'landline':
      return { type: 'landline', platform: 'unknown', model: 'Unknown', os_version: '', smart: false };
    case 'other': {
      const device = rng.weighted(OTHER_WEIGHTS);
      const [model, os_version] = rng.pick<readonly [string, string]>(device.models);
      return { type: 'mobile', platform: device.platform, model, os_version, smart: false };
    }
  }
}

function deviceName(rng: Rng, hw: Hardware, ownerFirst: string): string {
  if (hw.type === 'tablet') return `${ownerFirst}'s ${hw.platform === 'apple ios' ? 'iPad' : 'tablet'}`;
  if (hw.type === 'landline') return rng.chance(0.7) ? rng.pick(LANDLINE_NAMES) : '';
  if (!rng.chance(0.2)) return '';
  return rng.chance(0.5) ? `${ownerFirst}'s ${hw.platform === 'apple ios' ? 'iPhone' : 'phone'}` : rng.pick(MOBILE_NAMES);
}

function capabilitiesOf(hw: Hardware, activated: boolean, hasNumber: boolean): Capability[] {
  if (hw.type === 'landline') return ['auto', 'phone'];
  if (activated) return hasNumber ? [...SMART_CAPABILITIES] : ['auto', 'push', 'mobile_otp'];
  return hasNumber ? ['sms', 'phone'] : [];
}

/** How likely a device was ever used to authenticate, given what it can do. */
function seenChance(hw: Hardware, activated: boolean, hasNumber: boolean): number {
  if (activated) return 0.96;
  if (hw.type === 'landline') return 0.6;
  return hasNumber ? 0.35 : 0;
}

/** Phone documents in index order; `users` lists attached user ids in attachment order. */
export function buildPhones(rng: Rng, ctx: PhoneContext): Phone[] {
  const { phoneIds, userIds, firstNames, links, now } = ctx;
  const kinds = categoryDeck(rng, phoneIds.length, KIND_WEIGHTS, true);
  const numberOffset = rng.int(0, NUMBER_SPACE - 1);
  let numbered = 0;
  const reporting: Phone[] = [];

  const phones = phoneIds.map((phone_id, p): Phone => {
    const hw = hardwareOf(rng, KINDS[kinds[p] ?? 0] ?? 'other');
    const users: string[] = [];
    const userCount = links.phoneUserCount[p] ?? 0;
    for (let i = 0; i < userCount; i++) users.push(userIds[links.phoneUsers[p * MAX_USERS_PER_PHONE + i] ?? 0] ?? '');
    const owner = firstNames[links.phoneUsers[p * MAX_USERS_PER_PHONE] ?? 0] ?? 'Someone';

    const hasNumber = hw.type !== 'tablet';
    const activated = hw.smart && rng.chance(0.93);
    const capabilities = capabilitiesOf(hw, activated, hasNumber);
    let created = pastTime(rng, now, DAY, 3 * 365 * DAY);
    let last_seen = '';
    if (rng.chance(seenChance(hw, activated, hasNumber))) {
      const seen = pastTime(rng, now, 0, 90 * DAY, 1.6);
      last_seen = new Date(seen - (seen % 1000)).toISOString();
      if (created > seen) created = seen - rng.int(0, 30) * DAY;
    }
    const phone: Phone = {
      phone_id,
      number: hasNumber ? demoNumber(numbered++, numberOffset) : '',
      extension: hw.type === 'landline' && rng.chance(0.35) ? String(rng.int(100, 9999)) : '',
      name: deviceName(rng, hw, owner),
      type: hw.type,
      platform: hw.platform,
      // Until Duo Mobile is activated, Duo knows only the platform an administrator chose.
      model: hw.smart && !activated ? 'Unknown' : hw.model,
      os_family: hw.platform === 'unknown' ? '' : PLATFORM_LABELS[hw.platform],
      os_version: hw.smart && !activated ? '' : hw.os_version,
      activated,
      sms_passcodes_sent: capabilities.includes('sms') && rng.chance(0.15),
      capabilities,
      encrypted: 'Unknown',
      fingerprint: 'Unknown',
      screenlock: 'Unknown',
      tampered: 'Unknown',
      last_seen,
      users,
      deletion: '',
      created,
      updated: created + Math.floor(rng.next() * (now - created)),
    };
    if (activated) reporting.push(phone);
    return phone;
  });

  // Flags are dealt over the devices that report them, so shares are exact and a small set still shows each value.
  type Deck<V> = { values: readonly V[]; weights: readonly number[] };
  const deal = <V extends string>(deck: Deck<V>, set: (ph: Phone, v: V) => void): void => {
    const cards = categoryDeck(rng, reporting.length, deck.weights, true);
    reporting.forEach((ph, i) => set(ph, deck.values[cards[i] ?? 0] as V));
  };
  deal(ENCRYPTED_DECK, (ph, v) => (ph.encrypted = v));
  deal(FINGERPRINT_DECK, (ph, v) => (ph.fingerprint = v));
  deal(SCREENLOCK_DECK, (ph, v) => (ph.screenlock = v));
  deal(TAMPERED_DECK, (ph, v) => (ph.tampered = v));
  return phones;
}
