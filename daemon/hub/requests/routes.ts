/**
 * `POST /sync/v1/requests`: a pending request with the file it needs (a token import). The file is stored with the
 * hub's secrets first, then the request document goes through the same authorized push as a replicated one; a
 * refused request leaves no file behind. Requests without a file need no route: daemons push them.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerRequest } from '../../../src/domain/schemas.js';
import { FactordeskError, forbidden, invalid } from '../../../src/errors.js';
import { REQUESTS_PATH, type CreateRequestBody } from '../../../src/sync/protocol.js';
import { authorizedPush } from '../authorized-push.js';
import type { HubStore } from '../store.js';
import { pusherOf } from '../sync-routes.js';
import { ATTACHMENT_KIND, REQUESTS_COLLECTION } from './runner.js';

/** A token file larger than this is refused (a million-token PSKC file is far smaller). */
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

export interface RequestRouteDeps {
  store: HubStore;
  account: string;
  now: () => Date;
}

function parseBody(body: unknown): CreateRequestBody {
  const value = body as Partial<CreateRequestBody> | null | undefined;
  if (!value || typeof value !== 'object' || !value.request || typeof value.request !== 'object') {
    throw invalid('a request body is {"request": {...}, "attachment": "..."}');
  }
  if (value.attachment !== undefined && typeof value.attachment !== 'string') throw invalid('the attachment must be text');
  if (value.attachment !== undefined && Buffer.byteLength(value.attachment) > MAX_ATTACHMENT_BYTES) {
    throw invalid(`the file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
  }
  return value as CreateRequestBody;
}

/** Registers the request route. */
export function registerRequestRoutes(app: FastifyInstance, deps: RequestRouteDeps): void {
  const { store, account } = deps;
  app.post(REQUESTS_PATH, async (request, reply) => {
    const pusher = pusherOf(request);
    const { request: doc, attachment } = parseBody(request.body);
    const id = typeof doc.request_id === 'string' ? doc.request_id : '';
    if (id === '') throw invalid('the request has no request_id');
    const [existing] = await store.get(account, REQUESTS_COLLECTION, [id]);
    if (existing) throw new FactordeskError('CONFLICT', `Request ${id} exists already.`);
    if (attachment !== undefined) await store.putSecret(account, ATTACHMENT_KIND, id, attachment);
    const result = await authorizedPush(store, account, REQUESTS_COLLECTION, [{ newDocumentState: { ...doc, _deleted: false } }], pusher, deps.now().getTime());
    const refusal = result.refused[0];
    if (refusal || result.conflicts.length > 0) {
      if (attachment !== undefined) await store.deleteSecret(account, ATTACHMENT_KIND, id);
      if (!refusal) throw new FactordeskError('CONFLICT', `Request ${id} exists already.`);
      if (refusal.code === 'FORBIDDEN') throw forbidden(refusal.reason);
      throw new FactordeskError(refusal.code === 'CONFLICT' ? 'CONFLICT' : refusal.code === 'REFUSED' ? 'REFUSED' : 'INVALID_INPUT', refusal.reason);
    }
    const [stored] = await store.get(account, REQUESTS_COLLECTION, [id]);
    return reply.code(201).send(stored ?? ({ ...doc, _deleted: false } as ServerRequest & { _deleted: boolean }));
  });
}
