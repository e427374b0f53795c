import { describe, it, expect } from 'vitest';
import { assertU2fOperation, isU2fAdminOperation, U2F_ADMIN_OPERATIONS } from '../../../src/domain/u2f.js';
import { thrown } from './fixtures.js';

describe('U2F registrations', () => {
  it('can only be viewed and deleted by administrators', () => {
    expect([...U2F_ADMIN_OPERATIONS]).toEqual(['view', 'delete']);
    expect(() => assertU2fOperation('view')).not.toThrow();
    expect(() => assertU2fOperation('delete')).not.toThrow();
    expect(isU2fAdminOperation('delete')).toBe(true);
    expect(isU2fAdminOperation('assign')).toBe(false);
  });

  it.each([
    ['create', "can't be created by administrators; users self-enroll them"],
    ['import', "can't be imported by administrators; users self-enroll them"],
    ['assign', 'administrators cannot assign U2F tokens to users'],
  ])('refuses %s: users self-enroll U2F tokens', (op, message) => {
    const e = thrown(() => assertU2fOperation(op));
    expect(e.code).toBe('REFUSED');
    expect(e.userMessage).toContain(message);
    expect(e.hint).toContain('device management portal');
  });

  it('refuses attaching to an administrator: only OTP tokens log administrators in', () => {
    const e = thrown(() => assertU2fOperation('attachAdmin'));
    expect(e.code).toBe('REFUSED');
    expect(e.userMessage).toBe('U2F tokens cannot be used for administrator logins; only OTP hardware tokens can');
    expect(e.hint).toContain('OTP hardware token');
  });

  it('rejects names that are not operations, including prototype keys', () => {
    for (const op of ['rename', 'toString', 'constructor']) {
      const e = thrown(() => assertU2fOperation(op));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain('administrators can view and delete U2F tokens');
    }
  });
});
