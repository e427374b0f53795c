import { describe, it, expect } from 'vitest';
import { ROLES, type Role } from '../../src/domain/enums.js';
import { ENTITIES } from '../../src/rpc/contract.js';
import {
  ACTIONS,
  ACTION_PHRASES,
  assertAllowed,
  can,
  deniedReason,
  entityViewAction,
  isAction,
  ROLE_PERMISSIONS,
  roleMatrixMarkdown,
  rolesAllowed,
  type Action,
} from '../../src/roles.js';

/**
 * The expected matrix, written out by hand row by row so a change to ROLE_PERMISSIONS must be made twice.
 * Columns: Owner, Administrator, User Manager, Help Desk, Billing, Read-only.
 */
const EXPECTED: Record<Action, string> = {
  'users.view': '✓✓✓✓·✓',
  'users.add': '✓✓✓···',
  'users.update': '✓✓✓✓··',
  'users.setStatus': '✓✓✓✓··',
  'users.delete': '✓✓✓···',
  'phones.view': '✓✓✓✓·✓',
  'phones.add': '✓✓✓✓··',
  'phones.attach': '✓✓✓✓··',
  'phones.detach': '✓✓✓✓··',
  'phones.reorder': '✓✓✓✓··',
  'phones.update': '✓✓✓✓··',
  'phones.delete': '✓✓✓✓··',
  'phones.activate': '✓✓✓✓··',
  'tokens.view': '✓✓✓✓✓✓',
  'tokens.add': '✓✓✓✓··',
  'tokens.import': '✓✓✓✓··',
  'tokens.receive': '✓···✓·',
  'tokens.assign': '✓✓✓✓··',
  'tokens.unassign': '✓✓✓✓··',
  'tokens.attachAdmin': '✓·····',
  'tokens.detachAdmin': '✓·····',
  'tokens.resync': '✓✓✓✓··',
  'tokens.delete': '✓✓✓···',
  'u2f.view': '✓✓✓✓·✓',
  'u2f.delete': '✓✓✓✓··',
  'u2f.migrate': '✓·····',
  'admins.view': '✓✓···✓',
  'admins.add': '✓·····',
  'admins.update': '✓·····',
  'audit.view': '✓✓✓··✓',
  'billing.view': '✓✓··✓✓',
  'report.export': '✓✓✓··✓',
};

const rows = ACTIONS.map((action) => ({ action, expected: [...EXPECTED[action]] }));

describe('role matrix', () => {
  it('covers every action exactly once', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    expect(new Set(ACTIONS).size).toBe(ACTIONS.length);
    expect(Object.keys(ACTION_PHRASES).sort()).toEqual([...ACTIONS].sort());
  });

  it.each(rows)('$action', ({ action, expected }) => {
    ROLES.forEach((role, i) => {
      expect({ role, allowed: can(role, action) }).toEqual({ role, allowed: expected[i] === '✓' });
    });
  });

  it('lists no action outside ACTIONS and none twice per role', () => {
    for (const role of ROLES) {
      const list = ROLE_PERMISSIONS[role];
      expect(list.every((a) => isAction(a))).toBe(true);
      expect(new Set(list).size).toBe(list.length);
    }
  });

  it('gives the Owner everything', () => {
    expect(ACTIONS.every((a) => can('Owner', a))).toBe(true);
  });

  it('lets Read-only view everything and change nothing', () => {
    const allowed = ROLE_PERMISSIONS['Read-only'];
    expect(allowed.filter((a) => !a.endsWith('.view'))).toEqual(['report.export']);
    expect(ACTIONS.filter((a) => a.endsWith('.view')).every((a) => can('Read-only', a))).toBe(true);
  });

  it('prints as a markdown table with one row per action', () => {
    const md = roleMatrixMarkdown();
    const lines = md.trim().split('\n');
    expect(lines[0]).toBe('| Action | What it allows | Owner | Administrator | User Manager | Help Desk | Billing | Read-only |');
    expect(lines).toHaveLength(ACTIONS.length + 2);
    expect(md).toContain('| `tokens.attachAdmin` | attach hardware tokens to administrators | ✓ |  |  |  |  |  |');
  });
});

describe('deniedReason / assertAllowed', () => {
  it('is undefined when allowed', () => {
    expect(deniedReason('Help Desk', 'phones.delete')).toBeUndefined();
    expect(() => assertAllowed('Owner', 'admins.add')).not.toThrow();
  });

  it.each<[Role, Action, string]>([
    ['Help Desk', 'users.delete', 'Help Desk administrators cannot delete users'],
    ['Help Desk', 'users.add', 'Help Desk administrators cannot add users'],
    ['Help Desk', 'report.export', 'Help Desk administrators cannot export reports'],
    ['Administrator', 'tokens.attachAdmin', 'Only an Owner can attach hardware tokens to administrators'],
    ['User Manager', 'admins.add', 'Only an Owner can add administrators'],
    ['Administrator', 'tokens.receive', 'Only Owner and Billing administrators can receive hardware tokens purchased from the vendor'],
    ['Read-only', 'phones.delete', 'Read-only administrators cannot delete devices'],
    ['Billing', 'users.view', 'Billing administrators cannot view users'],
    ['User Manager', 'billing.view', 'User Manager administrators cannot view billing'],
  ])('%s / %s: "%s"', (role, action, sentence) => {
    expect(deniedReason(role, action)).toBe(sentence);
  });

  it('throws FORBIDDEN with the reason and the roles that can', () => {
    try {
      assertAllowed('Help Desk', 'users.delete');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({
        code: 'FORBIDDEN',
        userMessage: 'Help Desk administrators cannot delete users',
        hint: expect.stringContaining('Roles that can: Owner, Administrator or User Manager'),
      });
    }
  });

  it('gives a reason for every denied cell of the matrix', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        const reason = deniedReason(role, action);
        expect(reason === undefined).toBe(can(role, action));
        if (reason) expect(reason).toContain(ACTION_PHRASES[action]);
      }
    }
  });

  it('lists the roles allowed for an action', () => {
    expect(rolesAllowed('tokens.import')).toEqual(['Owner', 'Administrator', 'User Manager', 'Help Desk']);
    expect(rolesAllowed('tokens.receive')).toEqual(['Owner', 'Billing']);
  });
});

describe('entityViewAction', () => {
  it.each([
    ['devices', 'phones.view'],
    ['users', 'users.view'],
    ['tokens', 'tokens.view'],
    ['u2f', 'u2f.view'],
    ['admins', 'admins.view'],
    ['audit', 'audit.view'],
  ] as const)('%s needs %s', (entity, action) => {
    expect(entityViewAction(entity)).toBe(action);
  });

  it('covers every entity of the RPC contract', () => {
    for (const e of ENTITIES) expect(isAction(entityViewAction(e))).toBe(true);
  });
});
