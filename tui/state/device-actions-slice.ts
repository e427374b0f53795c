/**
 * What an administrator does with devices: add one to a user, attach it to another user (it becomes
 * shared), remove it from a user (deleted with its last user), delete it (from every user), and move it in a
 * user's order. Each opens its dialog, then sends the command and says what happened.
 */
import type { StateCreator } from 'zustand/vanilla';
import { PHONE_TYPE_LABELS, PLATFORM_LABELS, PLATFORMS, type PhoneType, type Platform } from '../../src/domain/enums.js';
import { phoneLabel } from '../../src/domain/phone.js';
import type { Phone } from '../../src/domain/schemas.js';
import type { UserRow } from '../../src/rpc/contract.js';
import { movedPhones } from './detail-items.js';
import { confirmModal, filterValue, formModal, pickerModal } from './dialog-slice.js';
import { flashError } from './feedback.js';
import { listWords, plural } from './rows.js';
import type { AppDeps, AppState } from './store.js';
import type { Choice } from './types.js';

/** A device and who it is attached to, as far as the caller knows. */
export interface DeviceTarget {
  phone_id: string;
  label: string;
  usernames: string[];
  userIds: string[];
}

export interface DeviceActionsSlice {
  openDevice(phoneId: string): void;
  addDeviceToUser(user: { user_id: string; username: string }): void;
  attachDeviceToUser(device: DeviceTarget): void;
  attachExistingDevice(user: { user_id: string; username: string }): void;
  removeDeviceFromUser(device: DeviceTarget, user: { user_id: string; username: string }): void;
  deleteDevices(devices: DeviceTarget[]): void;
  /** Removes a device from a user, naming its other users (fetched) in the confirmation. */
  removePhoneOfUser(phoneId: string, user: { user_id: string; username: string }): Promise<void>;
  /** Deletes a device known by id, naming its users (fetched) in the confirmation. */
  deletePhoneById(phoneId: string): Promise<void>;
  /** Moves the phone under the cursor of a user page up (-1) or down (+1). */
  movePhone(delta: number): Promise<void>;
}

const TYPE_CHOICES: Choice[] = (['mobile', 'tablet', 'landline'] as PhoneType[]).map((t) => ({ value: t, label: PHONE_TYPE_LABELS[t] }));
const PLATFORM_CHOICES: Choice[] = PLATFORMS.map((p: Platform) => ({ value: p, label: PLATFORM_LABELS[p] }));

/** A device row or detail as a target. */
export function deviceTarget(phone: Pick<Phone, 'phone_id' | 'name' | 'number'>, refs: readonly { user_id: string; username: string }[]): DeviceTarget {
  return {
    phone_id: phone.phone_id,
    label: phoneLabel(phone),
    usernames: refs.map((r) => r.username),
    userIds: refs.map((r) => r.user_id),
  };
}

/** Leaves out rows with these ids (`-id:=…` terms). */
function excludeIds(ids: readonly string[]): string {
  return ids.map((id) => `-id:=${id}`).join(' ');
}

/** The device actions slice. */
export function deviceActionsSlice(deps: AppDeps): StateCreator<AppState, [], [], DeviceActionsSlice> {
  const { client } = deps;
  let reorders = 0;

  return (set, get) => {
    /** After a change: fetch the page's details again (the lists follow by themselves). */
    const refresh = () => void get().loadDetail();

    return {
      openDevice(phoneId) {
        get().openPage({ kind: 'device', phoneId });
      },

      addDeviceToUser(user) {
        get().openModal(
          formModal({
            title: `Add a device to ${user.username}`,
            lines: ['The new device goes last in the order; J/K on the user page moves it.'],
            fields: [
              { name: 'type', label: 'Type', kind: 'choice', choices: TYPE_CHOICES, hint: '←/→ or Space to change' },
              {
                name: 'platform',
                label: 'Platform',
                kind: 'choice',
                choices: PLATFORM_CHOICES,
                hint: '←/→ to change, or type its first letter',
                visible: (v) => v.type !== 'landline',
              },
              {
                name: 'number',
                label: 'Number',
                kind: 'text',
                hint: 'E.164 is best, e.g. +15551234567',
                visible: (v) => v.type !== 'tablet',
              },
              { name: 'name', label: 'Name', kind: 'text', hint: 'Helps tell several numberless devices apart' },
            ],
            values: { type: 'mobile', platform: 'apple ios', number: '', name: '' },
            submitLabel: 'Add device',
            async submit(values) {
              const result = await client.request('phones.add', {
                user: user.user_id,
                type: values.type as PhoneType,
                ...(values.platform ? { platform: values.platform as Platform } : {}),
                ...(values.number ? { number: values.number } : {}),
                ...(values.name ? { name: values.name } : {}),
              });
              get().showFlash(`Added ${phoneLabel(result.phone)} to ${user.username} as ${result.alias}.`, 'ok');
              refresh();
            },
          }),
        );
      },

      attachDeviceToUser(device) {
        get().openModal(
          pickerModal({
            title: `Attach ${device.label} to another user`,
            entity: 'users',
            baseFilter: excludeIds(device.userIds),
            notice:
              device.userIds.length > 0
                ? `${device.label} is attached to ${listWords(device.usernames)}; after this it is shared between more than one user.`
                : undefined,
            async pick(row) {
              const user = row as UserRow;
              const detail = await client.request('phones.attach', { phone: device.phone_id, user: user.user_id });
              const alias = detail.users.find((u) => u.user_id === user.user_id)?.alias;
              get().showFlash(
                `Attached ${device.label} to ${user.username}${alias ? ` as ${alias}` : ''}.` +
                  (detail.shared ? ` The device is shared between ${plural(detail.users.length, 'user')}.` : ''),
                'ok',
              );
              refresh();
            },
          }),
        );
      },

      attachExistingDevice(user) {
        get().openModal(
          pickerModal({
            title: `Attach an existing device to ${user.username}`,
            entity: 'devices',
            baseFilter: `-user:=${filterValue(user.username)}`,
            notice: 'A device attached to several users is shared: each keeps it in their own order.',
            async pick(row) {
              const phone = row as Phone;
              const detail = await client.request('phones.attach', { phone: phone.phone_id, user: user.user_id });
              const alias = detail.users.find((u) => u.user_id === user.user_id)?.alias;
              get().showFlash(
                `Attached ${phoneLabel(phone)} to ${user.username}${alias ? ` as ${alias}` : ''}.` +
                  (detail.shared ? ` It is shared between ${plural(detail.users.length, 'user')}.` : ''),
                'ok',
              );
              refresh();
            },
          }),
        );
      },

      removeDeviceFromUser(device, user) {
        const others = device.usernames.filter((_, i) => device.userIds[i] !== user.user_id);
        const last = others.length === 0;
        get().openModal(
          confirmModal({
            title: `Remove ${device.label} from ${user.username}?`,
            lines: last
              ? [
                  `${user.username} is the last user of this device: removing it deletes the device.`,
                  'A deleted device can be added back later.',
                ]
              : [`It stays attached to ${listWords(others)}.`],
            confirmLabel: last ? 'Remove and delete the device' : 'Remove',
            danger: true,
            async run() {
              const result = await client.request('phones.detach', { phone: device.phone_id, user: user.user_id });
              if (result.deviceDeleted) {
                get().showFlash(`Removed ${device.label} from ${user.username}; no user remained, so the device was deleted.`, 'ok');
                const top = get().topPage();
                if (top?.kind === 'device' && top.phoneId === device.phone_id) get().back();
              } else {
                get().showFlash(`Removed ${device.label} from ${user.username}.`, 'ok');
              }
              refresh();
            },
          }),
        );
      },

      deleteDevices(devices) {
        if (devices.length === 0) return;
        const users = [...new Set(devices.flatMap((d) => d.usernames))];
        const single = devices.length === 1 ? devices[0]! : undefined;
        const lines = single
          ? [
              single.usernames.length > 0
                ? `It is removed from ${plural(single.usernames.length, 'user')}: ${listWords(single.usernames)}.`
                : 'It is attached to no user.',
            ]
          : [
              ...devices.slice(0, 6).map((d) => `• ${d.label}${d.usernames.length ? ` (${d.usernames.join(', ')})` : ''}`),
              ...(devices.length > 6 ? [`• … and ${devices.length - 6} more`] : []),
              `They are removed from ${plural(users.length, 'user')} in all.`,
            ];
        get().openModal(
          confirmModal({
            title: single ? `Delete ${single.label}?` : `Delete ${devices.length} devices?`,
            lines: [...lines, 'Deleted devices can be added back later.'],
            confirmLabel: single ? 'Delete device' : `Delete ${devices.length} devices`,
            async run() {
              const affected = new Set<string>();
              let deleted = 0;
              try {
                for (const d of devices) {
                  const result = await client.request('phones.delete', { phone: d.phone_id });
                  result.affectedUsers.forEach((u) => affected.add(u));
                  deleted++;
                }
              } finally {
                const screen = get().screen;
                if (screen === 'devices') get().clearMarks('devices');
              }
              get().showFlash(
                `Deleted ${single ? single.label : plural(deleted, 'device')}; removed from ${plural(affected.size, 'user')}.`,
                'ok',
              );
              const top = get().topPage();
              if (top?.kind === 'device' && devices.some((d) => d.phone_id === top.phoneId)) get().back();
              else refresh();
            },
          }),
        );
      },

      async removePhoneOfUser(phoneId, user) {
        try {
          const d = await client.request('phones.get', { phone: phoneId });
          get().removeDeviceFromUser(deviceTarget(d.phone, d.users), user);
        } catch (e) {
          flashError(get(), e);
        }
      },

      async deletePhoneById(phoneId) {
        try {
          const d = await client.request('phones.get', { phone: phoneId });
          get().deleteDevices([deviceTarget(d.phone, d.users)]);
        } catch (e) {
          flashError(get(), e);
        }
      },

      async movePhone(delta) {
        const detail = get().detail.data;
        const item = get().currentItem();
        if (detail?.kind !== 'user' || item?.kind !== 'user-phone') return;
        const from = item.index;
        const to = Math.max(0, Math.min(detail.user.phones.length - 1, from + delta));
        if (to === from) {
          get().showFlash(`${item.alias} is already ${delta < 0 ? 'first' : 'last'}.`);
          return;
        }
        // Shown at once; the daemon's answer (the full order) replaces it when the last move comes back.
        get().setUserDetail(movedPhones(detail.user, from, to), to);
        reorders++;
        try {
          const result = await client.request('phones.reorder', {
            user: detail.user.user.user_id,
            phone: item.phone.phone_id,
            position: to + 1,
          });
          reorders--;
          if (reorders === 0) get().setUserDetail(result);
        } catch (e) {
          reorders--;
          flashError(get(), e);
          refresh();
        }
      },
    };
  };
}
