/** What an administrator does with users: add one, disable or enable, delete (saying which devices go with them). */
import type { StateCreator } from 'zustand/vanilla';
import { phoneLabel } from '../../src/domain/phone.js';
import type { UserStatus } from '../../src/domain/enums.js';
import { confirmModal, formModal } from './dialog-slice.js';
import { flashError } from './feedback.js';
import { listWords, plural } from './rows.js';
import type { AppDeps, AppState } from './store.js';

/** A user as the actions need it. */
export interface UserTarget {
  user_id: string;
  username: string;
  status: UserStatus;
}

export interface UserActionsSlice {
  openUser(userId: string): void;
  addUser(): void;
  /** Disables the users (or enables them when all are disabled already). */
  toggleUserStatus(users: UserTarget[]): void;
  deleteUsers(users: UserTarget[]): Promise<void>;
}

/** The user actions slice. */
export function userActionsSlice(deps: AppDeps): StateCreator<AppState, [], [], UserActionsSlice> {
  const { client } = deps;
  return (set, get) => {
    const refresh = () => void get().loadDetail();
    const afterBulk = () => {
      if (get().screen === 'users') get().clearMarks('users');
    };

    return {
      openUser(userId) {
        get().openPage({ kind: 'user', userId });
      },

      addUser() {
        get().openModal(
          formModal({
            title: 'Add a user',
            fields: [
              { name: 'username', label: 'Username', kind: 'text', hint: 'How the user logs in, e.g. alice' },
              { name: 'realname', label: 'Full name', kind: 'text' },
              { name: 'email', label: 'E-mail', kind: 'text' },
            ],
            values: { username: '', realname: '', email: '' },
            submitLabel: 'Add user',
            async submit(values) {
              const user = await client.request('users.add', {
                username: values.username ?? '',
                ...(values.realname ? { realname: values.realname } : {}),
                ...(values.email ? { email: values.email } : {}),
              });
              get().showFlash(`Added user ${user.username}. Enter on it opens its page, where n adds a device.`, 'ok');
            },
          }),
        );
      },

      toggleUserStatus(users) {
        if (users.length === 0) return;
        const enable = users.every((u) => u.status === 'disabled');
        const status: UserStatus = enable ? 'active' : 'disabled';
        const names = listWords(users.map((u) => u.username));
        const run = async () => {
          let done = 0;
          try {
            for (const u of users) {
              await client.request('users.setStatus', { user: u.user_id, status });
              done++;
            }
          } finally {
            afterBulk();
          }
          get().showFlash(`${enable ? 'Enabled' : 'Disabled'} ${users.length === 1 ? names : plural(done, 'user')}.`, 'ok');
          refresh();
        };
        if (enable) {
          void run().catch((e: unknown) => flashError(get(), e));
          return;
        }
        get().openModal(
          confirmModal({
            title: users.length === 1 ? `Disable ${names}?` : `Disable ${users.length} users?`,
            lines: [
              `${users.length === 1 ? 'The user' : 'They'} cannot authenticate until enabled again (the same key enables).`,
              ...(users.length > 1 ? [names] : []),
            ],
            confirmLabel: users.length === 1 ? 'Disable user' : `Disable ${users.length} users`,
            run,
          }),
        );
      },

      async deleteUsers(users) {
        if (users.length === 0) return;
        // Say which devices go with them: those with no other user left.
        const details = await Promise.all(users.map((u) => client.request('users.get', { user: u.user_id })));
        const ids = new Set(users.map((u) => u.user_id));
        const lost: string[] = [];
        const kept: string[] = [];
        for (const d of details) {
          for (const p of d.phones) {
            const label = phoneLabel(p.phone);
            if (p.phone.users.every((id) => ids.has(id))) lost.push(label);
            else kept.push(label);
          }
        }
        const names = listWords(users.map((u) => u.username));
        get().openModal(
          confirmModal({
            title: users.length === 1 ? `Delete user ${names}?` : `Delete ${users.length} users?`,
            lines: [
              ...(users.length > 1 ? [names] : []),
              lost.length > 0
                ? `${plural(lost.length, 'device')} with no other user ${lost.length === 1 ? 'is' : 'are'} deleted too: ${listWords([...new Set(lost)])}.`
                : 'No device is deleted: every device has another user.',
              ...(kept.length > 0 ? [`Shared devices stay with their other users: ${listWords([...new Set(kept)])}.`] : []),
              'Their hardware tokens are unassigned and their U2F registrations deleted.',
            ],
            confirmLabel: users.length === 1 ? 'Delete user' : `Delete ${users.length} users`,
            async run() {
              let devices = 0;
              try {
                for (const u of users) devices += (await client.request('users.delete', { user: u.user_id })).deletedDevices.length;
              } finally {
                afterBulk();
              }
              get().showFlash(`Deleted ${users.length === 1 ? `user ${names}` : plural(users.length, 'user')}; ${plural(devices, 'device')} deleted with them.`, 'ok');
              const top = get().topPage();
              if (top?.kind === 'user' && ids.has(top.userId)) get().back();
              else refresh();
            },
          }),
        );
      },
    };
  };
}
