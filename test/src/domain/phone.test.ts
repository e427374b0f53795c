import { describe, it, expect } from 'vitest';
import {
  attachUser,
  capabilitiesFor,
  createPhone,
  detachUser,
  isShared,
  markDeleted,
  normalizePhoneFields,
  normalizePhoneNumber,
  parsePhoneType,
  parsePlatform,
  phoneLabel,
  updatePhone,
} from '../../../src/domain/phone.js';
import { mobile, T0, tablet, thrown } from './fixtures.js';

describe('normalizePhoneFields', () => {
  it('accepts any case and common aliases for type and platform', () => {
    expect(normalizePhoneFields({ type: 'Mobile', platform: 'ios' })).toEqual({ type: 'mobile', platform: 'apple ios' });
    expect(normalizePhoneFields({ type: ' TABLET ', platform: 'Android' })).toEqual({
      type: 'tablet',
      platform: 'google android',
    });
    expect(normalizePhoneFields({ platform: 'Apple iOS' }).platform).toBe('apple ios');
    expect(normalizePhoneFields({ type: 'cell' }).type).toBe('mobile');
    expect(normalizePhoneFields({ platform: 'Windows   Phone' }).platform).toBe('windows phone');
  });

  it('leaves absent fields absent so an edit only touches what was given', () => {
    expect(normalizePhoneFields({ name: 'Work' })).toEqual({ name: 'Work' });
  });

  it('trims names, models and versions', () => {
    expect(normalizePhoneFields({ name: '  Work phone ', model: ' iPhone 15 ', os_version: ' 17.4.1 ' })).toEqual({
      name: 'Work phone',
      model: 'iPhone 15',
      os_version: '17.4.1',
    });
  });

  it('names the field and the accepted values for an unknown type or platform', () => {
    const t = thrown(() => normalizePhoneFields({ type: 'pager' }));
    expect(t.code).toBe('INVALID_INPUT');
    expect(t.userMessage).toContain("type 'pager'");
    expect(t.userMessage).toContain('mobile, tablet, landline');
    const p = thrown(() => normalizePhoneFields({ platform: 'amiga' }));
    expect(p.code).toBe('INVALID_INPUT');
    expect(p.userMessage).toContain("platform 'amiga'");
    expect(p.userMessage).toContain('apple ios');
  });

  it('strips separators from numbers and keeps a leading +', () => {
    expect(normalizePhoneNumber('+1 555-010-0000')).toBe('+15550100000');
    expect(normalizePhoneNumber('(555) 010.0000')).toBe('5550100000');
    expect(normalizePhoneNumber('  ')).toBe('');
  });

  it('refuses numbers with letters, a misplaced + or the wrong digit count, saying what is accepted', () => {
    for (const bad of ['555-CALL-NOW', '1+555', '++15550100000']) {
      const e = thrown(() => normalizePhoneFields({ number: bad }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain(`number '${bad}'`);
      expect(e.userMessage).toContain('digits with an optional leading +');
    }
    expect(thrown(() => normalizePhoneNumber('12')).userMessage).toContain('has 2 digits; a phone number has 3 to 15');
    expect(thrown(() => normalizePhoneNumber('+1234567890123456')).userMessage).toContain('16 digits');
  });

  it('accepts extensions of digits only', () => {
    expect(normalizePhoneFields({ extension: ' 123 ' }).extension).toBe('123');
    const e = thrown(() => normalizePhoneFields({ extension: 'x12' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toContain("extension 'x12'");
    expect(e.userMessage).toContain('digits only');
  });

  it('limits names to 128 characters', () => {
    expect(normalizePhoneFields({ name: 'n'.repeat(128) }).name).toHaveLength(128);
    const e = thrown(() => normalizePhoneFields({ name: 'n'.repeat(129) }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('name is 129 characters; at most 128 are allowed');
  });

  it('refuses control characters in names', () => {
    expect(thrown(() => normalizePhoneFields({ name: 'a\u001b[31mb' })).userMessage).toContain('name contains control');
  });

  it('accepts os versions like 17.4.1 and refuses others', () => {
    for (const ok of ['17', '17.4', '17.4.1', '10.0.19045.1']) expect(normalizePhoneFields({ os_version: ok }).os_version).toBe(ok);
    for (const bad of ['v17', '17.', '17..1', 'latest']) {
      const e = thrown(() => normalizePhoneFields({ os_version: bad }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain(`os_version '${bad}'`);
      expect(e.userMessage).toContain('e.g. 17.4.1');
    }
  });

  it('checks the edited device when given the current one: a mobile cannot lose its number', () => {
    const phone = mobile('P1', 'U1');
    expect(thrown(() => normalizePhoneFields({ number: '' }, phone)).userMessage).toContain('a mobile device needs a number');
    expect(normalizePhoneFields({ number: '' , type: 'tablet' }, phone)).toEqual({ number: '', type: 'tablet' });
  });

  it('exposes the type and platform parsers', () => {
    expect(parsePhoneType('LANDLINE')).toBe('landline');
    expect(parsePlatform('blackberry')).toBe('rim blackberry');
  });
});

describe('createPhone', () => {
  it('fills sensible defaults', () => {
    const p = createPhone({ type: 'mobile', number: '+1 555 010 0000', platform: 'ios' }, 'U1', T0, 'P1');
    expect(p).toMatchObject({
      phone_id: 'P1',
      number: '+15550100000',
      type: 'mobile',
      platform: 'apple ios',
      os_family: 'iOS',
      activated: false,
      sms_passcodes_sent: false,
      encrypted: 'Unknown',
      fingerprint: 'Unknown',
      screenlock: 'Unknown',
      tampered: 'Unknown',
      last_seen: '',
      users: ['U1'],
      deletion: '',
      created: T0,
      updated: T0,
    });
  });

  it('gives capabilities by type', () => {
    expect(mobile('P1', 'U1').capabilities).toEqual(['auto', 'push', 'phone', 'sms', 'mobile_otp']);
    expect(tablet('P2', 'U1').capabilities).toEqual(['auto', 'push', 'mobile_otp']);
    expect(createPhone({ type: 'landline', number: '5550100' }, 'U1', T0, 'P3').capabilities).toEqual(['auto', 'phone']);
    expect(capabilitiesFor('unknown')).toEqual([]);
  });

  it('requires a number for mobiles and landlines, not for tablets', () => {
    for (const type of ['mobile', 'landline']) {
      const e = thrown(() => createPhone({ type }, 'U1', T0, 'P1'));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toBe(`a ${type} device needs a number`);
      expect(e.hint).toContain('tablet');
    }
    expect(createPhone({ type: 'tablet' }, 'U1', T0, 'P1').number).toBe('');
  });

  it('defaults the type to mobile, which then needs a number', () => {
    expect(createPhone({ number: '5550100' }, 'U1', T0, 'P1').type).toBe('mobile');
    expect(thrown(() => createPhone({}, 'U1', T0, 'P1')).userMessage).toContain('mobile device needs a number');
  });

  it('refuses an extension without a number', () => {
    expect(thrown(() => createPhone({ type: 'tablet', extension: '12' }, 'U1', T0, 'P1')).userMessage).toContain(
      'an extension needs a number',
    );
  });
});

describe('attachUser / detachUser', () => {
  it('attaches another user, making the device shared', () => {
    const p = attachUser(mobile('P1', 'U1'), 'U2', T0 + 1);
    expect(p.users).toEqual(['U1', 'U2']);
    expect(p.updated).toBe(T0 + 1);
    expect(isShared(p)).toBe(true);
    expect(isShared(mobile('P1', 'U1'))).toBe(false);
  });

  it('refuses to attach a user twice with CONFLICT', () => {
    const e = thrown(() => attachUser(mobile('P1', 'U1'), 'U1', T0, 'alice'));
    expect(e.code).toBe('CONFLICT');
    expect(e.userMessage).toBe('alice is already attached to device +15550100000');
  });

  it('detaches one user and keeps the device while others remain', () => {
    const shared = attachUser(mobile('P1', 'U1'), 'U2', T0);
    const { phone, deleted } = detachUser(shared, 'U1', T0 + 5);
    expect(deleted).toBe(false);
    expect(phone.users).toEqual(['U2']);
    expect(phone.deletion).toBe('');
  });

  it('deletes the device implicitly when its last user is removed', () => {
    const { phone, deleted } = detachUser(mobile('P1', 'U1'), 'U1', T0 + 5);
    expect(deleted).toBe(true);
    expect(phone.users).toEqual([]);
    expect(phone.deletion).toBe('implicit');
  });

  it('refuses to detach a user that is not attached with NOT_FOUND', () => {
    const e = thrown(() => detachUser(tablet('P1', 'U1'), 'U9', T0, 'bob'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toBe('bob is not attached to device tab P1');
  });

  it('brings an implicitly deleted device back on attach (attach beats implicit delete)', () => {
    const { phone } = detachUser(mobile('P1', 'U1'), 'U1', T0);
    const back = attachUser(phone, 'U2', T0 + 1);
    expect(back.users).toEqual(['U2']);
    expect(back.deletion).toBe('');
  });

  it('does not bring an explicitly deleted device back (delete wins)', () => {
    const e = thrown(() => attachUser(markDeleted(mobile('P1', 'U1'), T0), 'U2', T0));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toContain('was deleted');
  });
});

describe('markDeleted', () => {
  it('removes the device from every user and records an explicit deletion', () => {
    const p = markDeleted(attachUser(mobile('P1', 'U1'), 'U2', T0), T0 + 9);
    expect(p.users).toEqual([]);
    expect(p.deletion).toBe('explicit');
    expect(p.updated).toBe(T0 + 9);
  });

  it('turns an implicit deletion into an explicit one', () => {
    const { phone } = detachUser(mobile('P1', 'U1'), 'U1', T0);
    expect(markDeleted(phone, T0).deletion).toBe('explicit');
  });
});

describe('updatePhone', () => {
  it('changes only the given fields', () => {
    const p = updatePhone(mobile('P1', 'U1'), { name: 'Work', os_version: '17.4.1' }, T0 + 3);
    expect(p).toMatchObject({ name: 'Work', os_version: '17.4.1', number: '+15550100000', updated: T0 + 3 });
  });

  it('resets capabilities and the OS family when type or platform change', () => {
    const p = updatePhone(mobile('P1', 'U1'), { type: 'Tablet', number: '', platform: 'android' }, T0);
    expect(p.type).toBe('tablet');
    expect(p.capabilities).toEqual(['auto', 'push', 'mobile_otp']);
    expect(p.os_family).toBe('Android');
  });

  it('refuses to leave a mobile without a number', () => {
    expect(thrown(() => updatePhone(mobile('P1', 'U1'), { number: ' ' }, T0)).code).toBe('INVALID_INPUT');
  });

  it('refuses to edit a deleted device', () => {
    expect(thrown(() => updatePhone(markDeleted(mobile('P1', 'U1'), T0), { name: 'x' }, T0)).code).toBe('NOT_FOUND');
  });
});

describe('phoneLabel', () => {
  it('prefers the name, then the number, then the id', () => {
    expect(phoneLabel({ phone_id: 'P1', name: 'Work', number: '123' })).toBe('Work');
    expect(phoneLabel({ phone_id: 'P1', name: '', number: '123' })).toBe('123');
    expect(phoneLabel({ phone_id: 'P1', name: '', number: '' })).toBe('P1');
  });
});
