/**
 * Checks a passcode against a user's tokens and activated phones (see passcode-check.ts for the factors). A good
 * code moves the factor's counter or step (so it never verifies again); MAX_FAILURES bad codes in a row lock the
 * user out (status `locked out`, replicated and audited, undone by an administrator setting the user active again).
 * The first good code of a phone's activation activates the phone.
 *
 * Checks of one user run one at a time in this process, so a code cannot be accepted twice by racing requests
 * here; across hubs on one database the window between read and write remains (noted in the README).
 */
import type { Logger } from 'pino';
import type { Token } from '../../../src/domain/schemas.js';
import type { VerifyResult } from '../../../src/rpc/contract.js';
import { readActivation, writeActivation } from '../activation-secrets.js';
import type { HubDocument, HubStore, JsonValue } from '../store.js';
import { bodyOf } from '../stored-document.js';
import { readTokenSecret, writeTokenSecret } from '../token-secrets.js';
import { checkPasscode, type Factor, type PasscodeMatch } from './passcode-check.js';
import { UserFactors, type UserEntry } from './user-factors.js';

/** Failed passcodes in a row that lock a user out. */
export const MAX_FAILURES = 10;
const FAILURES_KIND = 'verify-failures';

export interface VerifierDeps {
  store: HubStore;
  account: string;
  now: () => Date;
  log: Logger;
}

interface Failures {
  count: number;
  last: number;
}

/** A check's answer, with the user it concerned (when known). */
export interface Verification extends VerifyResult {
  user?: UserEntry;
}

/** Checks passcodes; see the file comment. */
export interface Verifier {
  /** Checks `passcode` for the user named by `ref` (user_id or username); `by` is who asked, for the log. */
  verify(ref: string, passcode: string, by: string): Promise<Verification>;
}

/** The hub's verifier over its store. */
export function createVerifier(deps: VerifierDeps): Verifier {
  const { store, account, log } = deps;
  const factors = new UserFactors(store, account);
  const queues = new Map<string, Promise<unknown>>();

  /** Runs `fn` after the previous check of the same user. */
  const serially = <T>(userId: string, fn: () => Promise<T>): Promise<T> => {
    const previous = queues.get(userId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    queues.set(userId, settled);
    void settled.then(() => {
      if (queues.get(userId) === settled) queues.delete(userId);
    });
    return next;
  };

  async function factorsOf(userId: string): Promise<Factor[]> {
    const out: Factor[] = [];
    const tokenIds = factors.tokenIds(userId);
    const tokens = tokenIds.length > 0 ? await store.get(account, 'tokens', tokenIds) : [];
    for (const doc of tokens) {
      if (doc._deleted) continue;
      const secret = await readTokenSecret(store, account, String(doc['token_id']));
      if (secret) out.push({ kind: 'token', token: { token_id: String(doc['token_id']), serial: String(doc['serial']), type: doc['type'] as Token['type'] }, secret });
    }
    for (const phoneId of factors.phoneIds(userId)) {
      const secret = await readActivation(store, account, phoneId);
      if (secret) out.push({ kind: 'phone', phoneId, secret });
    }
    return out;
  }

  /** Writes a document change made by the hub itself (no role: verification is the hub's own business). */
  async function hubWrite(collection: string, master: HubDocument, change: Record<string, unknown>, action: string, summary: string, now: number) {
    const body = bodyOf(master);
    await store.push(account, collection, [{ assumedMasterState: { ...body, _deleted: false }, newDocumentState: { ...body, ...change, updated: now, _deleted: false } }], {
      adminId: 'hub',
      adminName: 'hub (verification)',
      time: now,
      audit: () => ({ action, summary }),
    });
  }

  async function accept(match: PasscodeMatch, now: number): Promise<string> {
    if (match.kind === 'token') {
      await writeTokenSecret(store, account, match.token.token_id, match.secret);
      return `token:${match.token.serial}`;
    }
    await writeActivation(store, account, match.phoneId, match.secret);
    if (match.firstCode) {
      const [phone] = await store.get(account, 'phones', [match.phoneId]);
      if (phone && !phone._deleted && phone['activated'] !== true) {
        await hubWrite('phones', phone, { activated: true }, 'phones.activate', `device ${match.phoneId}: activated (its first code verified)`, now);
      }
    }
    return `phone:${match.phoneId}`;
  }

  async function refuse(userId: string, username: string, now: number): Promise<VerifyResult> {
    const previous = (await store.getSecret(account, FAILURES_KIND, userId)) as unknown as Failures | undefined;
    const count = (previous?.count ?? 0) + 1;
    if (count < MAX_FAILURES) {
      await store.putSecret(account, FAILURES_KIND, userId, { count, last: now } as unknown as JsonValue);
      return { ok: false, reason: 'Invalid passcode.' };
    }
    await store.deleteSecret(account, FAILURES_KIND, userId);
    const [user] = await store.get(account, 'users', [userId]);
    if (user && !user._deleted) {
      await hubWrite('users', user, { status: 'locked out' }, 'users.setStatus', `user ${username} (${userId}): locked out after ${MAX_FAILURES} failed passcodes`, now);
    }
    log.warn({ user_id: userId, failures: count }, 'user locked out after repeated failed passcodes');
    return { ok: false, reason: `Invalid passcode; ${username} is now locked out after ${MAX_FAILURES} failed attempts.` };
  }

  return {
    async verify(ref, passcode, by) {
      await factors.refresh();
      const user = factors.user(ref);
      if (!user) return { ok: false, reason: 'No such user.' };
      return serially(user.user_id, async (): Promise<Verification> => {
        // Re-read after waiting: the previous check may have locked the user out.
        await factors.refresh();
        const current = factors.user(user.user_id) ?? user;
        if (current.status === 'disabled') return { ok: false, reason: `${current.username} is disabled.`, user: current };
        if (current.status === 'locked out') {
          return { ok: false, reason: `${current.username} is locked out after repeated failed passcodes; an administrator can set the user active again.`, user: current };
        }
        if (current.status === 'bypass') return { ok: true, via: 'bypass', user: current };
        const now = deps.now().getTime();
        const match = checkPasscode(await factorsOf(current.user_id), passcode, now);
        const outcome: VerifyResult = match ? { ok: true, via: await accept(match, now) } : await refuse(current.user_id, current.username, now);
        if (match) await store.deleteSecret(account, FAILURES_KIND, current.user_id);
        log.info({ user_id: current.user_id, ok: outcome.ok, via: outcome.via, by }, 'passcode checked');
        return { ...outcome, user: current };
      });
    },
  };
}
