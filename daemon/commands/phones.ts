/** Device commands: add to a user, attach, detach, reorder, edit, delete — the reference's rules via src/domain. */
import {
  attachUser,
  createPhone,
  detachUser,
  normalizePhoneFields,
  updatePhone,
} from '../../src/domain/phone.js';
import { movePhone, withPhoneAppended, withPhoneRemoved } from '../../src/domain/user.js';
import { newId } from '../../src/domain/ids.js';
import type { DeviceDetail } from '../../src/rpc/contract.js';
import type { Phone } from '../../src/domain/schemas.js';
import type { CommandContext } from '../command-context.js';
import type { RpcHandlers } from '../rpc-server.js';

type PhoneHandlers = Pick<
  RpcHandlers,
  'phones.add' | 'phones.get' | 'phones.attach' | 'phones.detach' | 'phones.reorder' | 'phones.update' | 'phones.delete'
>;

/** A device's label in audit lines: its name, else its number, else its id. */
function label(phone: Phone): string {
  return phone.name || phone.number || phone.phone_id;
}

/** The device handlers over a command context; `run` serializes them with the other commands. */
export function phoneCommands(cx: CommandContext, run: <T>(fn: () => Promise<T>) => Promise<T>): PhoneHandlers {
  const detail = (phoneId: string): DeviceDetail => {
    const phone = cx.resolvePhone(phoneId);
    const users = cx.model.deviceUserRefs(phone.phone_id);
    return { phone, users, shared: users.length > 1 };
  };

  return {
    'phones.add': (params) =>
      run(async () => {
        cx.allow('phones.add');
        const { user: userRef, ...fields } = params;
        const user = cx.resolveUser(userRef);
        const normalized = normalizePhoneFields(fields);
        const now = cx.now();
        const phone = createPhone(normalized, user.user_id, now, newId('DP'));
        await cx.put('phones', [phone]);
        await cx.put('users', [withPhoneAppended(user, phone.phone_id, now)]);
        await cx.audit('phone.add', 'phone', phone.phone_id, `added ${phone.type} ${label(phone)} to ${user.username}`);
        const ordered = cx.model.orderedPhonesOfUser(user.user_id);
        return ordered.find((o) => o.phone.phone_id === phone.phone_id) ?? { alias: `phone${ordered.length}`, phone };
      }),

    'phones.get': async (params) => {
      cx.allow('phones.view');
      return detail(params.phone);
    },

    'phones.attach': (params) =>
      run(async () => {
        cx.allow('phones.attach');
        const phone = cx.resolvePhone(params.phone);
        const user = cx.resolveUser(params.user);
        const now = cx.now();
        await cx.put('phones', [attachUser(phone, user.user_id, now)]);
        await cx.put('users', [withPhoneAppended(user, phone.phone_id, now)]);
        await cx.audit('phone.attach', 'phone', phone.phone_id, `attached ${label(phone)} to ${user.username}`);
        return detail(phone.phone_id);
      }),

    'phones.detach': (params) =>
      run(async () => {
        cx.allow('phones.detach');
        const phone = cx.resolvePhone(params.phone);
        const user = cx.resolveUser(params.user);
        const now = cx.now();
        const result = detachUser(phone, user.user_id, now);
        if (result.deleted) await cx.remove('phones', phone.phone_id, { deletion: 'implicit', users: [] });
        else await cx.put('phones', [result.phone]);
        await cx.put('users', [withPhoneRemoved(user, phone.phone_id, now)]);
        await cx.audit(
          'phone.detach',
          'phone',
          phone.phone_id,
          `removed ${label(phone)} from ${user.username}` + (result.deleted ? '; no user remained, device deleted' : ''),
        );
        return { deviceDeleted: result.deleted, remainingUsers: result.phone.users };
      }),

    'phones.reorder': (params) =>
      run(async () => {
        cx.allow('phones.reorder');
        const user = cx.resolveUser(params.user);
        const phone = cx.resolvePhone(params.phone);
        const phones = cx.model.phonesOfUser(user.user_id);
        const next = movePhone(user, phones, phone.phone_id, params.position, cx.now());
        await cx.put('users', [next]);
        await cx.audit('phone.reorder', 'user', user.user_id, `${user.username}: moved ${label(phone)} to phone${params.position}`);
        return {
          user: cx.resolveUser(user.user_id),
          phones: cx.model.orderedPhonesOfUser(user.user_id),
          tokens: cx.model.tokensOfUser(user.user_id),
          u2f: cx.model.u2fOfUser(user.user_id),
        };
      }),

    'phones.update': (params) =>
      run(async () => {
        cx.allow('phones.update');
        const { phone: ref, ...fields } = params;
        const phone = cx.resolvePhone(ref);
        const next = updatePhone(phone, normalizePhoneFields(fields, phone), cx.now());
        await cx.put('phones', [next]);
        const changed = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined);
        await cx.audit('phone.update', 'phone', phone.phone_id, `updated ${label(phone)}: ${changed.join(', ')}`);
        return next;
      }),

    'phones.delete': (params) =>
      run(async () => {
        cx.allow('phones.delete');
        const phone = cx.resolvePhone(params.phone);
        const affected = cx.model.deviceUserRefs(phone.phone_id);
        await cx.remove('phones', phone.phone_id, { deletion: 'explicit' });
        const now = cx.now();
        await cx.put(
          'users',
          affected.map((ref) => withPhoneRemoved(cx.resolveUser(ref.user_id), phone.phone_id, now)),
        );
        await cx.audit(
          'phone.delete',
          'phone',
          phone.phone_id,
          `deleted ${label(phone)}, removing it from ${affected.map((r) => r.username).join(', ') || 'no user'}`,
        );
        return { affectedUsers: affected.map((r) => r.username) };
      }),
  };
}
