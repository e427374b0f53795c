/**
 * Hardware token and U2F actions: add a token, assign it to users and remove it, attach it to administrators
 * (Owner only), delete third-party tokens (vendor d1 tokens cannot be), delete U2F registrations.
 */
import type { StateCreator } from 'zustand/vanilla';
import { TOKEN_TYPE_LABELS, TOKEN_TYPES, type TokenType } from '../../src/domain/enums.js';
import { assertDeletable } from '../../src/domain/token.js';
import type { AdminRow, TokenRow, U2fRow, UserRow } from '../../src/rpc/contract.js';
import { confirmModal, filterValue, formModal, pickerModal } from './dialog-slice.js';
import { errorMessage } from './feedback.js';
import { listWords, plural, rowLabel } from './rows.js';
import type { AppDeps, AppState } from './store.js';

/** A token as the actions need it. */
export interface TokenTarget {
  token_id: string;
  serial: string;
  type: TokenType;
  origin: TokenRow['origin'];
  users: string[];
  usernames: string[];
}

export interface TokenActionsSlice {
  openToken(tokenId: string): void;
  openAdmin(adminId: string): void;
  addToken(): void;
  assignTokenToUser(token: TokenTarget): void;
  assignUserAToken(user: { user_id: string; username: string }): void;
  unassignToken(token: { token_id: string; serial: string }, user: { user_id: string; username: string }): void;
  attachTokenToAdmin(token: TokenTarget): void;
  attachAdminAToken(admin: { admin_id: string; name: string }): void;
  detachTokenFromAdmin(token: { serial: string }, admin: { admin_id: string; name: string }): void;
  deleteTokens(tokens: TokenTarget[]): void;
  deleteU2f(regs: U2fRow[]): void;
}

/** Why a token cannot be deleted (vendor-provisioned), or undefined. */
export function tokenDeleteRefusal(token: Pick<TokenTarget, 'type' | 'origin' | 'serial'>): string | undefined {
  try {
    assertDeletable(token);
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

/** A token row as a target. */
export function tokenTarget(t: TokenRow): TokenTarget {
  return { token_id: t.token_id, serial: t.serial, type: t.type, origin: t.origin, users: t.users, usernames: t.usernames };
}

/** The token actions slice. */
export function tokenActionsSlice(deps: AppDeps): StateCreator<AppState, [], [], TokenActionsSlice> {
  const { client } = deps;
  return (set, get) => {
    const refresh = () => void get().loadDetail();
    const clear = (entity: 'tokens' | 'u2f') => {
      if (get().screen === entity) get().clearMarks(entity);
    };

    return {
      openToken(tokenId) {
        get().openPage({ kind: 'token', tokenId });
      },

      openAdmin(adminId) {
        get().openPage({ kind: 'admin', adminId });
      },

      addToken() {
        get().openModal(
          formModal({
            title: 'Add a hardware token',
            lines: ['Registers the serial; token secrets are imported on the hub (none is configured yet).'],
            fields: [
              { name: 'serial', label: 'Serial', kind: 'text', hint: 'Up to 128 characters' },
              {
                name: 'type',
                label: 'Type',
                kind: 'choice',
                choices: TOKEN_TYPES.map((t) => ({ value: t, label: `${t} · ${TOKEN_TYPE_LABELS[t]}` })),
                hint: '←/→ to change',
              },
              {
                name: 'totp_step',
                label: 'TOTP step (s)',
                kind: 'text',
                visible: (v) => v.type === 't6' || v.type === 't8',
              },
            ],
            values: { serial: '', type: 'h6', totp_step: '30' },
            submitLabel: 'Add token',
            async submit(values) {
              const token = await client.request('tokens.add', {
                serial: values.serial ?? '',
                type: values.type as TokenType,
                ...(values.totp_step ? { totp_step: Number(values.totp_step) } : {}),
              });
              get().showFlash(`Added ${token.type} token ${token.serial}.`, 'ok');
            },
          }),
        );
      },

      assignTokenToUser(token) {
        get().openModal(
          pickerModal({
            title: `Assign token ${token.serial} to a user`,
            entity: 'users',
            baseFilter: token.users.map((id) => `-id:=${id}`).join(' '),
            notice: token.usernames.length ? `Already assigned to ${listWords(token.usernames)}; a token may serve several users.` : undefined,
            async pick(row) {
              const user = row as UserRow;
              await client.request('tokens.assign', { token: token.token_id, user: user.user_id });
              get().showFlash(`Assigned token ${token.serial} to ${user.username}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      assignUserAToken(user) {
        get().openModal(
          pickerModal({
            title: `Assign a hardware token to ${user.username}`,
            entity: 'tokens',
            baseFilter: `-user:=${filterValue(user.username)}`,
            notice: 'Type part of a serial to search.',
            async pick(row) {
              const token = row as TokenRow;
              await client.request('tokens.assign', { token: token.token_id, user: user.user_id });
              get().showFlash(`Assigned token ${token.serial} to ${user.username}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      unassignToken(token, user) {
        get().openModal(
          confirmModal({
            title: `Remove token ${token.serial} from ${user.username}?`,
            lines: [`${user.username} can no longer log in with it; the token itself is kept.`],
            confirmLabel: 'Remove token',
            async run() {
              await client.request('tokens.unassign', { token: token.token_id, user: user.user_id });
              get().showFlash(`Removed token ${token.serial} from ${user.username}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      attachTokenToAdmin(token) {
        get().openModal(
          pickerModal({
            title: `Attach token ${token.serial} to an administrator`,
            entity: 'admins',
            notice: 'The administrator can then log in with a passcode from this token.',
            async pick(row) {
              const admin = row as AdminRow;
              await client.request('tokens.attachAdmin', { token: token.token_id, admin: admin.admin_id });
              get().showFlash(`Attached token ${token.serial} to administrator ${admin.name}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      attachAdminAToken(admin) {
        get().openModal(
          pickerModal({
            title: `Attach a hardware token to ${admin.name}`,
            entity: 'tokens',
            baseFilter: `-admin:=${filterValue(admin.name)}`,
            notice: 'OTP hardware tokens (not U2F) can be used for administrator logins.',
            async pick(row) {
              const token = row as TokenRow;
              await client.request('tokens.attachAdmin', { token: token.token_id, admin: admin.admin_id });
              get().showFlash(`Attached token ${token.serial} to administrator ${admin.name}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      detachTokenFromAdmin(token, admin) {
        get().openModal(
          confirmModal({
            title: `Remove token ${token.serial} from administrator ${admin.name}?`,
            lines: [`${admin.name} can no longer log in with a passcode from it.`],
            confirmLabel: 'Remove token',
            async run() {
              await client.request('tokens.detachAdmin', { token: token.serial, admin: admin.admin_id });
              get().showFlash(`Removed token ${token.serial} from administrator ${admin.name}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      deleteTokens(tokens) {
        if (tokens.length === 0) return;
        const users = [...new Set(tokens.flatMap((t) => t.usernames))];
        const single = tokens.length === 1 ? tokens[0]! : undefined;
        get().openModal(
          confirmModal({
            title: single ? `Delete token ${single.serial}?` : `Delete ${tokens.length} tokens?`,
            lines: [
              ...(single ? [] : [listWords(tokens.map((t) => t.serial), 8)]),
              users.length > 0
                ? `It is removed from ${plural(users.length, 'user')} immediately: ${listWords(users)}. Make sure they have another way to authenticate.`
                : 'No user has it.',
            ],
            confirmLabel: single ? 'Delete token' : `Delete ${tokens.length} tokens`,
            async run() {
              let done = 0;
              try {
                for (const t of tokens) {
                  await client.request('tokens.delete', { token: t.token_id });
                  done++;
                }
              } finally {
                clear('tokens');
              }
              get().showFlash(`Deleted ${single ? `token ${single.serial}` : plural(done, 'token')}.`, 'ok');
              const top = get().topPage();
              if (top?.kind === 'token' && tokens.some((t) => t.token_id === top.tokenId)) get().back();
              else refresh();
            },
          }),
        );
      },

      deleteU2f(regs) {
        if (regs.length === 0) return;
        const single = regs.length === 1 ? regs[0]! : undefined;
        get().openModal(
          confirmModal({
            title: single ? `Delete ${rowLabel('u2f', single)}?` : `Delete ${regs.length} U2F/WebAuthn registrations?`,
            lines: [
              ...(single ? [] : [listWords(regs.map((r) => rowLabel('u2f', r)), 6)]),
              'The user has to enroll the security key again to use it.',
            ],
            confirmLabel: single ? 'Delete registration' : `Delete ${regs.length} registrations`,
            async run() {
              let done = 0;
              try {
                for (const r of regs) {
                  await client.request('u2f.delete', { registration: r.registration_id });
                  done++;
                }
              } finally {
                clear('u2f');
              }
              get().showFlash(`Deleted ${plural(done, 'registration')}.`, 'ok');
              refresh();
            },
          }),
        );
      },
    };
  };
}
