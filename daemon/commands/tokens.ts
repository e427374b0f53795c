/** Hardware token and U2F commands: add, assign to users, attach to administrators, delete. */
import {
  assertDeletable,
  assignUser,
  attachAdmin,
  createToken,
  detachAdmin,
  unassignUser,
  validateSerial,
} from '../../src/domain/token.js';
import { conflict } from '../../src/errors.js';
import type { CommandContext } from '../command-context.js';
import type { RpcHandlers } from '../rpc-server.js';

type TokenHandlers = Pick<
  RpcHandlers,
  | 'tokens.add'
  | 'tokens.get'
  | 'tokens.assign'
  | 'tokens.unassign'
  | 'tokens.attachAdmin'
  | 'tokens.detachAdmin'
  | 'tokens.delete'
  | 'u2f.delete'
>;

/** The token and U2F handlers over a command context; `run` serializes them with the other commands. */
export function tokenCommands(cx: CommandContext, run: <T>(fn: () => Promise<T>) => Promise<T>): TokenHandlers {
  return {
    'tokens.add': (params) =>
      run(async () => {
        cx.allow(params.type === 'd1' ? 'tokens.receive' : 'tokens.add');
        const serial = validateSerial(params.serial);
        if (cx.model.tokenBySerial(serial)) throw conflict(`A token with serial "${serial}" already exists.`);
        const token = createToken({ ...params, serial }, cx.now());
        await cx.put('tokens', [token]);
        await cx.audit('token.add', 'token', token.token_id, `added ${token.type} token ${token.serial}`);
        return token;
      }),

    'tokens.get': async (params) => {
      cx.allow('tokens.view');
      const token = cx.resolveToken(params.token);
      return {
        ...token,
        usernames: token.users.map((id) => cx.model.user(id)?.username ?? id),
        admin_names: token.admins.map((id) => cx.model.admin(id)?.name ?? id),
      };
    },

    'tokens.assign': (params) =>
      run(async () => {
        cx.allow('tokens.assign');
        const token = cx.resolveToken(params.token);
        const user = cx.resolveUser(params.user);
        const next = assignUser(token, user.user_id, cx.now());
        await cx.put('tokens', [next]);
        await cx.audit('token.assign', 'token', token.token_id, `assigned token ${token.serial} to ${user.username}`);
        return next;
      }),

    'tokens.unassign': (params) =>
      run(async () => {
        cx.allow('tokens.unassign');
        const token = cx.resolveToken(params.token);
        const user = cx.resolveUser(params.user);
        const next = unassignUser(token, user.user_id, cx.now());
        await cx.put('tokens', [next]);
        await cx.audit('token.unassign', 'token', token.token_id, `removed token ${token.serial} from ${user.username}`);
        return next;
      }),

    'tokens.attachAdmin': (params) =>
      run(async () => {
        cx.allow('tokens.attachAdmin');
        const token = cx.resolveToken(params.token);
        const admin = cx.resolveAdmin(params.admin);
        const next = attachAdmin(token, admin.admin_id, cx.now());
        await cx.put('tokens', [next]);
        await cx.audit('token.attach-admin', 'token', token.token_id, `attached token ${token.serial} to administrator ${admin.name}`);
        return next;
      }),

    'tokens.detachAdmin': (params) =>
      run(async () => {
        cx.allow('tokens.detachAdmin');
        const token = cx.resolveToken(params.token);
        const admin = cx.resolveAdmin(params.admin);
        const next = detachAdmin(token, admin.admin_id, cx.now());
        await cx.put('tokens', [next]);
        await cx.audit('token.detach-admin', 'token', token.token_id, `removed token ${token.serial} from administrator ${admin.name}`);
        return next;
      }),

    'tokens.delete': (params) =>
      run(async () => {
        cx.allow('tokens.delete');
        const token = cx.resolveToken(params.token);
        assertDeletable(token);
        const affectedUsers = token.users.map((id) => cx.model.user(id)?.username ?? id);
        await cx.remove('tokens', token.token_id);
        await cx.audit(
          'token.delete',
          'token',
          token.token_id,
          `deleted token ${token.serial}` + (affectedUsers.length ? `, removing it from ${affectedUsers.join(', ')}` : ''),
        );
        return { affectedUsers };
      }),

    'u2f.delete': (params) =>
      run(async () => {
        cx.allow('u2f.delete');
        const reg = cx.resolveU2f(params.registration);
        const username = cx.model.user(reg.user_id)?.username ?? reg.user_id;
        await cx.remove('u2f', reg.registration_id);
        await cx.audit('u2f.delete', 'u2f', reg.registration_id, `deleted ${reg.kind} registration of ${username}`);
        return { ok: true as const };
      }),
  };
}
