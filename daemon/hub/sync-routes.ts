/**
 * The sync endpoints of src/sync/protocol.ts: `whoami`, `pull` by checkpoint and `push` with compare-and-swap,
 * every pushed row checked against the pusher's role first (authorized-push.ts). Requests reach these handlers
 * authenticated (server.ts); `request.who` is the signing administrator.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FactordeskError, invalid } from '../../src/errors.js';
import {
  CLIENT_HEADER,
  PROTOCOL_HEADER,
  SYNC_PREFIX,
  SYNC_PROTOCOL_VERSION,
  SYNCED_COLLECTIONS,
  WHOAMI_PATH,
  type PullResponse,
  type PushResponse,
  type WhoAmI,
} from '../../src/sync/protocol.js';
import type { Authenticated } from './auth.js';
import { authorizedPush, type Pusher } from './authorized-push.js';
import type { HubStore, PushRow } from './store.js';
import { MAX_PULL_LIMIT } from './store-input.js';

export const DEFAULT_PULL_LIMIT = 500;
/** Rows per push: RxDB sends batches far smaller; more is refused rather than holding one long transaction. */
export const MAX_PUSH_ROWS = 5000;

const SYNCED: ReadonlySet<string> = new Set(SYNCED_COLLECTIONS);

export interface SyncRouteDeps {
  store: HubStore;
  account: string;
  hubId: string;
  now: () => Date;
}

function who(request: FastifyRequest): Authenticated {
  if (!request.who) throw new Error('unauthenticated request reached a sync route');
  return request.who;
}

function collectionOf(request: FastifyRequest): string {
  const { collection } = request.params as { collection: string };
  if (!SYNCED.has(collection)) {
    throw invalid(`"${collection}" is not a replicated collection; the hub replicates ${SYNCED_COLLECTIONS.join(', ')}`);
  }
  return collection;
}

function wholeNumber(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Array.isArray(value) ? String(value[value.length - 1]) : String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** The client header as the audit trail records it: printable, at most 64 characters. */
export function clientLabel(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const clean = text.replace(/\p{C}/gu, '').trim().slice(0, 64);
  return clean === '' ? undefined : clean;
}

/** The signing administrator as a pusher, with the daemon its client header names (for the audit trail). */
export function pusherOf(request: FastifyRequest): Pusher {
  const { admin } = who(request);
  const client = clientLabel(request.headers[CLIENT_HEADER.toLowerCase()]);
  return { admin_id: admin.admin_id, name: admin.name, role: admin.role, ...(client ? { client } : {}) };
}

function pushRows(body: unknown): PushRow[] {
  const rows = (body as { rows?: unknown } | null | undefined)?.rows;
  if (!Array.isArray(rows)) throw invalid('a push body is {"rows": [...]}');
  if (rows.length > MAX_PUSH_ROWS) throw invalid(`a push takes at most ${MAX_PUSH_ROWS} rows; send smaller batches`);
  return rows as PushRow[];
}

/** Why a client's protocol header is refused, or undefined (no header: tools and tests that speak this version). */
export function protocolProblem(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || String(text) === String(SYNC_PROTOCOL_VERSION)) return undefined;
  return `This hub speaks sync protocol ${SYNC_PROTOCOL_VERSION}; the client speaks ${String(text).slice(0, 16)}. Run the same factordesk version on the hub and the daemons.`;
}

/** Registers whoami, pull and push. */
export function registerSyncRoutes(app: FastifyInstance, deps: SyncRouteDeps): void {
  const { store, account } = deps;

  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith(`${SYNC_PREFIX}/`) || request.url.startsWith(WHOAMI_PATH)) return;
    const problem = protocolProblem(request.headers[PROTOCOL_HEADER.toLowerCase()]);
    if (problem) throw new FactordeskError('REFUSED', problem);
  });

  app.get(WHOAMI_PATH, async (request): Promise<WhoAmI> => {
    const { admin } = who(request);
    return { identity: { admin_id: admin.admin_id, name: admin.name, role: admin.role }, hub_id: deps.hubId, protocol: SYNC_PROTOCOL_VERSION };
  });

  app.get(`${SYNC_PREFIX}/:collection/pull`, async (request): Promise<PullResponse> => {
    who(request);
    const collection = collectionOf(request);
    const query = request.query as Record<string, unknown>;
    const seq = wholeNumber(query['seq'], 'seq', 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeNumber(query['limit'], 'limit', 1, MAX_PULL_LIMIT) ?? DEFAULT_PULL_LIMIT;
    const page = await store.pull(account, collection, seq === undefined ? null : { seq }, limit);
    // Nothing ever committed (from the start, an empty page): the protocol's null checkpoint.
    const checkpoint = page.checkpoint.seq === 0 ? null : page.checkpoint;
    return { documents: page.documents, checkpoint } as PullResponse;
  });

  app.post(`${SYNC_PREFIX}/:collection/push`, async (request): Promise<PushResponse> => {
    const pusher = pusherOf(request);
    const collection = collectionOf(request);
    const rows = pushRows(request.body);
    const result = await authorizedPush(store, account, collection, rows, pusher, deps.now().getTime());
    if (result.refused.length > 0) {
      request.log.info(
        { admin_id: pusher.admin_id, collection, refused: result.refused.map((r) => ({ id: r.id, code: r.code })) },
        'push rows refused',
      );
    }
    return result as PushResponse;
  });
}
