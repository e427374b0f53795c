/**
 * What demo devices look like: OS releases with their weights, device models with the OS majors they
 * can run (so an iPhone 16 never reports iOS 15), and security-key names. Data only; the generator samples it.
 */

/** A model and the range of OS major versions it ships with or can be updated to. */
export interface DeviceModel {
  name: string;
  minMajor: number;
  maxMajor: number;
}

/** iOS releases 15–18 weighted to recent majors, and within a major to its later point releases. */
const IOS_RELEASES: Record<number, readonly string[]> = {
  15: ['15.0', '15.1', '15.2', '15.3', '15.4', '15.5', '15.6', '15.7', '15.8', '15.8.3'],
  16: ['16.0', '16.1', '16.2', '16.3', '16.4', '16.5', '16.6', '16.7', '16.7.8', '16.7.10'],
  17: ['17.0', '17.1', '17.1.2', '17.2', '17.3', '17.3.1', '17.4', '17.4.1', '17.5', '17.5.1', '17.6', '17.6.1', '17.7'],
  18: ['18.0', '18.0.1', '18.1', '18.1.1', '18.2', '18.2.1', '18.3', '18.3.1', '18.3.2', '18.4', '18.4.1', '18.5', '18.6', '18.6.2'],
};
const IOS_MAJOR_WEIGHTS: readonly (readonly [number, number])[] = [
  [18, 46],
  [17, 28],
  [16, 16],
  [15, 10],
];

/** Android majors 10–15 weighted as a corporate fleet looks: mostly the last three. */
const ANDROID_MAJOR_WEIGHTS: readonly (readonly [number, number])[] = [
  [15, 20],
  [14, 30],
  [13, 21],
  [12, 14],
  [11, 9],
  [10, 6],
];

/** Every release of a major, weighted so that later point releases (what auto-update installs) dominate. */
function releaseWeights(releases: readonly string[]): (readonly [string, number])[] {
  return releases.map((r, i) => [r, i + 1] as const);
}

const IOS_RELEASE_WEIGHTS = new Map(IOS_MAJOR_WEIGHTS.map(([major]) => [major, releaseWeights(IOS_RELEASES[major] ?? [])]));

export const IOS_VERSIONS = {
  majors: IOS_MAJOR_WEIGHTS,
  releases: (major: number): readonly (readonly [string, number])[] =>
    IOS_RELEASE_WEIGHTS.get(major) ?? [[`${major}.0`, 1]],
};

export const ANDROID_VERSIONS = {
  majors: ANDROID_MAJOR_WEIGHTS,
};

export const IPHONES: readonly DeviceModel[] = [
  { name: 'iPhone 16 Pro Max', minMajor: 18, maxMajor: 18 },
  { name: 'iPhone 16 Pro', minMajor: 18, maxMajor: 18 },
  { name: 'iPhone 16', minMajor: 18, maxMajor: 18 },
  { name: 'iPhone 16e', minMajor: 18, maxMajor: 18 },
  { name: 'iPhone 15 Pro Max', minMajor: 17, maxMajor: 18 },
  { name: 'iPhone 15 Pro', minMajor: 17, maxMajor: 18 },
  { name: 'iPhone 15', minMajor: 17, maxMajor: 18 },
  { name: 'iPhone 14 Pro', minMajor: 16, maxMajor: 18 },
  { name: 'iPhone 14', minMajor: 16, maxMajor: 18 },
  { name: 'iPhone 13', minMajor: 15, maxMajor: 18 },
  { name: 'iPhone 13 mini', minMajor: 15, maxMajor: 18 },
  { name: 'iPhone 12', minMajor: 14, maxMajor: 18 },
  { name: 'iPhone SE (3rd generation)', minMajor: 15, maxMajor: 18 },
  { name: 'iPhone 11', minMajor: 13, maxMajor: 18 },
  { name: 'iPhone XR', minMajor: 12, maxMajor: 18 },
  { name: 'iPhone X', minMajor: 11, maxMajor: 16 },
  { name: 'iPhone 8', minMajor: 11, maxMajor: 16 },
];

export const IPADS: readonly DeviceModel[] = [
  { name: 'iPad Air (5th generation)', minMajor: 15, maxMajor: 18 },
  { name: 'iPad Air 11-inch (M2)', minMajor: 17, maxMajor: 18 },
  { name: 'iPad Pro 11-inch (4th generation)', minMajor: 16, maxMajor: 18 },
  { name: 'iPad (10th generation)', minMajor: 16, maxMajor: 18 },
  { name: 'iPad (9th generation)', minMajor: 15, maxMajor: 18 },
  { name: 'iPad mini (6th generation)', minMajor: 15, maxMajor: 18 },
];

export const ANDROID_PHONES: readonly DeviceModel[] = [
  { name: 'Pixel 9 Pro', minMajor: 14, maxMajor: 15 },
  { name: 'Pixel 9', minMajor: 14, maxMajor: 15 },
  { name: 'Pixel 8', minMajor: 14, maxMajor: 15 },
  { name: 'Pixel 8a', minMajor: 14, maxMajor: 15 },
  { name: 'Pixel 7', minMajor: 13, maxMajor: 15 },
  { name: 'Pixel 7a', minMajor: 13, maxMajor: 15 },
  { name: 'Pixel 6', minMajor: 12, maxMajor: 15 },
  { name: 'Pixel 6a', minMajor: 12, maxMajor: 15 },
  { name: 'Pixel 5', minMajor: 11, maxMajor: 14 },
  { name: 'Pixel 4a', minMajor: 10, maxMajor: 13 },
  { name: 'Galaxy S24', minMajor: 14, maxMajor: 15 },
  { name: 'Galaxy S23', minMajor: 13, maxMajor: 15 },
  { name: 'Galaxy S22', minMajor: 12, maxMajor: 15 },
  { name: 'Galaxy S21', minMajor: 11, maxMajor: 15 },
  { name: 'Galaxy S20', minMajor: 10, maxMajor: 13 },
  { name: 'Galaxy S10', minMajor: 10, maxMajor: 12 },
  { name: 'Galaxy A54', minMajor: 13, maxMajor: 15 },
  { name: 'Galaxy A14', minMajor: 13, maxMajor: 15 },
  { name: 'Galaxy A52', minMajor: 11, maxMajor: 14 },
  { name: 'Galaxy A51', minMajor: 10, maxMajor: 13 },
  { name: 'Galaxy Z Flip5', minMajor: 13, maxMajor: 15 },
  { name: 'OnePlus 12', minMajor: 14, maxMajor: 15 },
  { name: 'OnePlus 11', minMajor: 13, maxMajor: 15 },
  { name: 'OnePlus 9', minMajor: 11, maxMajor: 14 },
  { name: 'Moto G Power (2022)', minMajor: 11, maxMajor: 12 },
  { name: 'Motorola Edge 40', minMajor: 13, maxMajor: 15 },
  { name: 'Xiaomi 13', minMajor: 13, maxMajor: 15 },
  { name: 'Redmi Note 12', minMajor: 12, maxMajor: 14 },
];

export const ANDROID_TABLETS: readonly DeviceModel[] = [
  { name: 'Galaxy Tab S9', minMajor: 13, maxMajor: 15 },
  { name: 'Galaxy Tab S8', minMajor: 12, maxMajor: 15 },
  { name: 'Galaxy Tab A8', minMajor: 11, maxMajor: 14 },
  { name: 'Galaxy Tab S6 Lite', minMajor: 10, maxMajor: 14 },
  { name: 'Pixel Tablet', minMajor: 13, maxMajor: 15 },
  { name: 'Lenovo Tab P11', minMajor: 11, maxMajor: 13 },
];

/** Legacy and odd devices that still turn up in a large directory. */
export const OTHER_DEVICES = [
  { platform: 'windows phone', models: [['Lumia 950', '10.0'], ['Lumia 640', '8.1']], weight: 3 },
  { platform: 'rim blackberry', models: [['BlackBerry Bold 9900', '7.1'], ['BlackBerry Q10', '10.3']], weight: 2 },
  { platform: 'generic smartphone', models: [['Generic Smartphone', '']], weight: 5 },
  // A mobile number enrolled for SMS and calls only: Duo knows neither platform nor model.
  { platform: 'unknown', models: [['Unknown', '']], weight: 10 },
] as const;

/** Called once per generated device: the filtered lists are kept rather than rebuilt 120,000 times. */
const modelsByMajor = new WeakMap<readonly DeviceModel[], Map<number, readonly DeviceModel[]>>();

/** The models whose OS range includes `major`; all of them if none does (a catalogue gap must not crash). */
export function modelsFor(models: readonly DeviceModel[], major: number): readonly DeviceModel[] {
  let byMajor = modelsByMajor.get(models);
  if (byMajor === undefined) modelsByMajor.set(models, (byMajor = new Map()));
  let fit = byMajor.get(major);
  if (fit === undefined) {
    fit = models.filter((m) => m.minMajor <= major && major <= m.maxMajor);
    if (fit.length === 0) fit = models;
    byMajor.set(major, fit);
  }
  return fit;
}

export const WEBAUTHN_CREDENTIALS: readonly string[] = [
  'YubiKey 5 NFC',
  'YubiKey 5C NFC',
  'YubiKey 5Ci',
  'Security Key NFC by Yubico',
  'Google Titan Security Key',
  'Feitian BioPass K26',
  'Touch ID',
  'Windows Hello',
  'iCloud Keychain',
];

export const U2F_CREDENTIALS: readonly string[] = [
  'YubiKey 4',
  'YubiKey NEO',
  'Security Key by Yubico',
  'Feitian ePass FIDO',
  'HyperFIDO Mini',
];

/** Labels people give their security keys. */
export const U2F_LABELS: readonly string[] = ['Security Key', 'Work key', 'Backup key', 'Laptop', 'Keychain', 'Desk'];

/** Names people give numbered devices; tablets are named after their owner (they have no number to tell them apart). */
export const LANDLINE_NAMES: readonly string[] = ['Desk phone', 'Office', 'Front desk', 'Lab phone', 'Reception'];
export const MOBILE_NAMES: readonly string[] = ['Work phone', 'Personal', 'On-call phone', 'Backup phone'];
