/** Duo Admin API enumerations. Inputs are stored in Duo's lower-case input form; labels give Duo's output form. */

export const PHONE_TYPES = ['mobile', 'tablet', 'landline', 'unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export const PLATFORMS = [
  'google android',
  'apple ios',
  'windows phone',
  'rim blackberry',
  'java j2me',
  'palm webos',
  'symbian os',
  'windows mobile',
  'generic smartphone',
  'unknown',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PHONE_TYPE_LABELS: Record<PhoneType, string> = {
  mobile: 'Mobile',
  tablet: 'Tablet',
  landline: 'Landline',
  unknown: 'Unknown',
};

export const PLATFORM_LABELS: Record<Platform, string> = {
  'google android': 'Google Android',
  'apple ios': 'Apple iOS',
  'windows phone': 'Windows Phone',
  'rim blackberry': 'RIM BlackBerry',
  'java j2me': 'Java J2ME',
  'palm webos': 'Palm WebOS',
  'symbian os': 'Symbian OS',
  'windows mobile': 'Windows Mobile',
  'generic smartphone': 'Generic Smartphone',
  unknown: 'Unknown',
};

export const ENCRYPTED = ['Encrypted', 'Unencrypted', 'Unknown'] as const;
export const FINGERPRINT = ['Configured', 'Disabled', 'Unknown'] as const;
export const SCREENLOCK = ['Locked', 'Unlocked', 'Unknown'] as const;
export const TAMPERED = ['Tampered', 'Not Tampered', 'Unknown'] as const;
export const CAPABILITIES = ['auto', 'push', 'phone', 'sms', 'mobile_otp'] as const;

export const USER_STATUSES = ['active', 'bypass', 'disabled', 'locked out'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Token type codes: h6/h8 HOTP, t6/t8 TOTP, yk YubiKey OTP, d1 vendor-provisioned. */
export const TOKEN_TYPES = ['h6', 'h8', 't6', 't8', 'yk', 'd1'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export const TOKEN_TYPE_LABELS: Record<TokenType, string> = {
  h6: 'HOTP 6 digits',
  h8: 'HOTP 8 digits',
  t6: 'TOTP 6 digits',
  t8: 'TOTP 8 digits',
  yk: 'YubiKey OTP',
  d1: 'Duo-D100 (vendor)',
};

export const ROLES = ['Owner', 'Administrator', 'User Manager', 'Help Desk', 'Billing', 'Read-only'] as const;
export type Role = (typeof ROLES)[number];

export const U2F_KINDS = ['u2f', 'webauthn'] as const;
export type U2fKind = (typeof U2F_KINDS)[number];

/** Serial numbers longer than this are refused (reference text). */
export const MAX_SERIAL_LENGTH = 128;

/** What a server-side request asks the hub to do (see the requests schema). */
export const REQUEST_KINDS = ['tokens.import', 'tokens.receive', 'tokens.resync', 'phones.activate'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** pending: written, not yet run; running: claimed by a hub; done / failed: answered. */
export const REQUEST_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
