/** Server-side requests as a replica writes them: pending, in its author's name, with no answer yet. */
import type { RequestKind } from './enums.js';
import { newEventId, type RandomSource } from './ids.js';
import type { ServerRequest } from './schemas.js';

/** Requests that have their answer. */
export function isAnswered(request: Pick<ServerRequest, 'status'>): boolean {
  return request.status === 'done' || request.status === 'failed';
}

/** A new pending request of `kind` by `adminId`. */
export function newRequest(
  input: { kind: RequestKind; params: Record<string, unknown>; adminId: string },
  now: number,
  random?: RandomSource,
): ServerRequest {
  return {
    // Time-ordered like audit events, with the request prefix so that an id says what it is.
    request_id: `RQ${newEventId(now, random)}`,
    kind: input.kind,
    params: input.params,
    status: 'pending',
    result: {},
    error_code: '',
    error_message: '',
    admin_id: input.adminId,
    hub_id: '',
    created: now,
    updated: now,
  };
}
