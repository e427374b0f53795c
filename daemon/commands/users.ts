/** User commands: add, show, disable/enable, delete. */
import { createUser, normalizeUserInput, setStatus } from '../../src/domain/user.js';
import { detachUser } from '../../src/domain/phone.js';
import { unassignUser } from '../../src/domain/token.js';
import { newId } from '../../src/domain/ids.js';
import { conflict, invalid } from '../../src/errors.js';
import { USER_STATUSES, type UserStatus } from '../../src/domain/enums.js';
import type { Phone, Token } from '../../src/domain/schemas.js';
import type { CommandContext } from '../command-context.js';
import type { RpcHandlers } from '../rpc-server.js';

type UserHandlers = Pick<RpcHandlers, 'users.add' | 'users.get' | 'users.setStatus' | 'users.delete'>;

/** The user handlers over a command context; `run` serializes them with the other commands. */
export function userCommands(cx: CommandContext, run: <T>(fn: () => Promise<T>) => Promise<T>): UserHandlers {
  return {
    'users.add': (params) =>
      run(async () => {
        cx.allow('users.add');
        const input = normalizeUserInput(params);
        if (cx.model.userByUsername(input.username)) throw conflict(`A user named "${input.username}" already exists.`);
        const user = createUser(input, cx.now(), newId('DU'));
        await cx.put('users', [user]);
        await cx.audit('user.add', 'user', user.user_id, `added user ${user.username}`);
        return user;
      }),

    'users.get': async (params) => {
      cx.allow('users.view');
      const user = cx.resolveUser(params.user);
      return {
        user,
        phones: cx.model.orderedPhonesOfUser(user.user_id),
        tokens: cx.model.tokensOfUser(user.user_id),
        u2f: cx.model.u2fOfUser(user.user_id),
      };
    },

    'users.setStatus': (params) =>
      run(async () => {
        cx.allow('users.setStatus');
        if (!(USER_STATUSES as readonly string[]).includes(params.status)) {
          throw invalid(`Unknown user status "${params.status}".`, `Statuses: ${USER_STATUSES.join(', ')}.`);
        }
        const user = cx.resolveUser(params.user);
        if (user.status === params.status) return user;
        const next = setStatus(user, params.status as UserStatus, cx.now());
        await cx.put('users', [next]);
        await cx.audit('user.status', 'user', user.user_id, `${user.username}: status ${user.status} → ${next.status}`);
        return next;
      }),

    'users.delete': (params) =>
      run(async () => {
        cx.allow('users.delete');
        const user = cx.resolveUser(params.user);
        const now = cx.now();
        const kept: Phone[] = [];
        const deletedDevices: string[] = [];
        for (const phone of cx.model.phonesOfUser(user.user_id)) {
          const result = detachUser(phone, user.user_id, now);
          if (result.deleted) deletedDevices.push(phone.phone_id);
          else kept.push(result.phone);
        }
        const tokens: Token[] = cx.model.tokensOfUser(user.user_id).map((t) => unassignUser(t, user.user_id, now));
        await cx.put('phones', kept);
        for (const id of deletedDevices) await cx.remove('phones', id, { deletion: 'implicit', users: [] });
        await cx.put('tokens', tokens);
        for (const reg of cx.model.u2fOfUser(user.user_id)) await cx.remove('u2f', reg.registration_id);
        await cx.remove('users', user.user_id);
        await cx.audit(
          'user.delete',
          'user',
          user.user_id,
          `deleted user ${user.username}` +
            (deletedDevices.length ? `; ${deletedDevices.length} device(s) deleted with their last user` : ''),
        );
        return { deletedDevices };
      }),
  };
}
