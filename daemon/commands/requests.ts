/**
 * Commands answered by the hub: token import and receive, resync, phone activation, passcode checks, and the
 * server-side requests they make. A resync or an activation is a pending request written to the replica, so it
 * waits there while the hub is away and is pushed like any edit; an import carries a file of secrets, which
 * never rests on this machine, so it goes straight to the hub or not at all. Either way the answer arrives
 * through replication, and a caller may wait for it.
 */
import { filter, firstValueFrom, timer, map, race, type Observable } from 'rxjs';
import type { RequestKind, TokenType } from '../../src/domain/enums.js';
import { isAnswered, newRequest } from '../../src/domain/request.js';
import type { ServerRequest } from '../../src/domain/schemas.js';
import { assertResyncable } from '../../src/domain/token.js';
import { invalid, notFound } from '../../src/errors.js';
import { parseTokenFile, summarizeImport } from '../../src/import/import-tokens.js';
import type { ImportFormat } from '../../src/import/imported-token.js';
import type { PskcOptions } from '../../src/import/pskc.js';
import { isCodeShaped } from '../../src/otp/options.js';
import type { ImportOutcome, RequestView } from '../../src/rpc/contract.js';
import { encodeImportAttachment } from '../hub/operations/token-import.js';
import type { CommandContext } from '../command-context.js';
import type { ReplicaChange } from '../replica/database.js';
import type { RpcHandlers } from '../rpc-server.js';
import type { SyncController } from '../sync.js';

/** The longest a command waits for the hub's answer. */
export const MAX_WAIT_MS = 120_000;
const MAX_LIST = 1000;
/** Hours an activation stays valid unless told otherwise (the reference product's 24 h). */
export const DEFAULT_ACTIVATION_HOURS = 24;
const MAX_ACTIVATION_HOURS = 24 * 30;

type RequestHandlers = Pick<
  RpcHandlers,
  'tokens.import' | 'tokens.receive' | 'tokens.resync' | 'phones.activate' | 'phones.activation' | 'requests.list' | 'requests.get' | 'auth.verify'
>;

export interface RequestCommandDeps {
  cx: CommandContext;
  sync: SyncController;
  run: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The replica's request changes (to wait for answers). */
  changes: Observable<ReplicaChange<ServerRequest>>;
}

function waitMs(wait: number | undefined): number {
  if (wait === undefined) return 0;
  if (!Number.isFinite(wait) || wait < 0) throw invalid('wait must be a number of milliseconds from 0');
  return Math.min(wait, MAX_WAIT_MS);
}

/** Resolves with the request once `ready` holds for it (by default: answered), or as it is when `ms` have passed. */
async function awaitRequest(
  deps: RequestCommandDeps,
  id: string,
  ms: number,
  ready: (request: ServerRequest) => boolean = isAnswered,
): Promise<ServerRequest | undefined> {
  const current = deps.cx.model.request(id);
  if (ms === 0 || (current && ready(current))) return current;
  const arrived = deps.changes.pipe(
    filter((change) => change.doc.request_id === id && ready(change.doc)),
    map((change) => change.doc),
  );
  await firstValueFrom(race(arrived, timer(ms).pipe(map(() => undefined))));
  return deps.cx.model.request(id);
}

function view(deps: RequestCommandDeps, request: ServerRequest): RequestView {
  return { ...request, queued: request.status === 'pending' && !deps.sync.online };
}

/** Writes a pending request to the replica (pushed by replication, queued while offline). */
async function enqueue(deps: RequestCommandDeps, kind: RequestKind, params: Record<string, unknown>): Promise<ServerRequest> {
  const { cx } = deps;
  if (!deps.sync.synced) {
    throw invalid(`${kind} is done by a hub, and this daemon works without one.`, 'Connect one with `factordesk login`.');
  }
  const request = newRequest({ kind, params, adminId: cx.identity.admin_id }, cx.now());
  await cx.put('requests', [request]);
  return request;
}

function checkContent(content: unknown): string {
  if (typeof content !== 'string' || content.trim() === '') throw invalid('The token file is empty.');
  return content;
}

interface ImportParams {
  content: string;
  filename?: string;
  format?: ImportFormat;
  type?: TokenType;
  dryRun?: boolean;
  wait?: number;
  pskcPassword?: string;
  pskcKey?: string;
}

/** Validates the whole file against the replica, then (unless a dry run) sends it to the hub with a request. */
async function importTokens(deps: RequestCommandDeps, params: ImportParams, vendor: boolean): Promise<ImportOutcome> {
  const { cx } = deps;
  cx.allow(vendor ? 'tokens.receive' : 'tokens.import');
  const content = checkContent(params.content);
  const type: TokenType | undefined = vendor ? 'd1' : params.type;
  const pskc: PskcOptions = {
    ...(params.pskcPassword !== undefined ? { password: params.pskcPassword } : {}),
    ...(params.pskcKey !== undefined ? { preSharedKey: params.pskcKey } : {}),
  };
  const parsed = parseTokenFile(content, {
    ...(params.format ? { format: params.format } : {}),
    ...(type ? { type } : {}),
    pskc,
    existingSerials: cx.model.tokenSerials(),
  });
  if ('errors' in parsed) return { outcome: 'invalid', format: parsed.format, errors: parsed.errors };
  const summary = summarizeImport(parsed.tokens);
  if (params.dryRun) return { outcome: 'dry-run', format: parsed.format, summary };
  const client = deps.sync.onlineClient(vendor ? 'Receiving tokens' : 'Importing tokens');
  const request = newRequest(
    {
      kind: vendor ? 'tokens.receive' : 'tokens.import',
      params: { format: parsed.format, ...(type ? { type } : {}), ...(params.filename ? { filename: params.filename } : {}), count: parsed.tokens.length },
      adminId: cx.identity.admin_id,
    },
    cx.now(),
  );
  const attachment = encodeImportAttachment({
    content,
    ...(params.pskcPassword !== undefined || params.pskcKey !== undefined
      ? { pskc: { ...(params.pskcPassword !== undefined ? { password: params.pskcPassword } : {}), ...(params.pskcKey !== undefined ? { preSharedKey: params.pskcKey } : {}) } }
      : {}),
  });
  await client.createRequest({ request, attachment });
  deps.sync.pullNow();
  const answered = (await awaitRequest(deps, request.request_id, waitMs(params.wait))) ?? request;
  return { outcome: 'requested', format: parsed.format, summary, request: view(deps, answered) };
}

/** The request handlers; `run` serializes the ones that write with the other commands. */
export function requestCommands(deps: RequestCommandDeps): RequestHandlers {
  const { cx, run } = deps;
  const getRequest = (ref: string): ServerRequest => {
    const request = cx.model.request(ref.trim());
    if (!request) throw notFound(`No request "${ref}".`, 'List them with `factordesk requests list`.');
    return request;
  };
  return {
    'tokens.import': (params) => importTokens(deps, params, false),
    'tokens.receive': (params) => importTokens(deps, params, true),

    'tokens.resync': async (params) => {
      const request = await run(async () => {
        cx.allow('tokens.resync');
        const token = cx.resolveToken(params.token);
        // Refused here already, so an offline administrator hears it now rather than when the hub returns.
        assertResyncable(token);
        const codes = Array.isArray(params.codes) ? params.codes.map((c) => String(c).trim()) : [];
        if (codes.length !== 3) throw invalid(`A resync needs three consecutive codes; ${codes.length} were given.`);
        const digits = token.type === 'h8' ? 8 : 6;
        const bad = codes.find((c) => !isCodeShaped(c, digits));
        if (bad !== undefined) throw invalid(`"${bad}" is not a ${digits}-digit code of token ${token.serial}.`);
        return enqueue(deps, 'tokens.resync', { token_id: token.token_id, serial: token.serial, codes });
      });
      const answered = (await awaitRequest(deps, request.request_id, waitMs(params.wait))) ?? request;
      return view(deps, answered);
    },

    'phones.activate': async (params) => {
      const request = await run(async () => {
        cx.allow('phones.activate');
        const phone = cx.resolvePhone(params.phone);
        if (phone.type === 'landline') throw invalid(`A landline has no authenticator app to activate (${phone.number || phone.phone_id}).`);
        const hours = params.validHours ?? DEFAULT_ACTIVATION_HOURS;
        if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_ACTIVATION_HOURS) {
          throw invalid(`An activation is valid from 1 hour to ${MAX_ACTIVATION_HOURS} hours.`);
        }
        const email = params.email?.trim();
        if (email !== undefined && email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid(`"${email}" is not an e-mail address.`);
        return enqueue(deps, 'phones.activate', { phone_id: phone.phone_id, valid_hours: hours, ...(email ? { email } : {}) });
      });
      const answered = (await awaitRequest(deps, request.request_id, waitMs(params.wait))) ?? request;
      return view(deps, answered);
    },

    'phones.activation': async (params) => {
      cx.allow('phones.activate');
      const phone = cx.resolvePhone(params.phone);
      return deps.sync.onlineClient('Showing an activation').activation(phone.phone_id);
    },

    'requests.list': async ({ limit } = {}) => {
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST)) throw invalid(`The limit must be a whole number from 1 to ${MAX_LIST}.`);
      return cx.model
        .requests()
        .slice(0, limit ?? 100)
        .map((r) => view(deps, r));
    },

    'requests.get': async (params) => {
      const ms = waitMs(params.wait);
      const id = params.request.trim();
      // A request written straight to the hub (an import) reaches this replica with the next pull: wait for it too.
      if (!cx.model.request(id)) await awaitRequest(deps, id, ms, () => true);
      const request = getRequest(id);
      return view(deps, (await awaitRequest(deps, request.request_id, ms)) ?? request);
    },

    'auth.verify': async (params) => {
      cx.allow('users.view');
      const user = cx.resolveUser(params.user);
      const passcode = String(params.passcode ?? '').trim();
      if (passcode === '') throw invalid('A passcode is required.');
      return deps.sync.onlineClient('Checking a passcode').verify({ user: user.username, passcode });
    },
  };
}
