/**
 * The Duo Admin API envelope: `{stat:'OK', response, metadata?}` for a success, `{stat:'FAIL', code, message,
 * message_detail}` for a failure, where code = HTTP status × 100 + a detail number, as Duo's clients expect
 * (they show `message` and `message_detail`, and back off on 429).
 */
import { FactordeskError, isFactordeskError, type ErrorCode } from '../../../src/errors.js';
import type { HubFailure } from '../../../src/sync/protocol.js';
import { failure } from '../auth.js';

/** Paging information of a list response. */
export interface ListMetadata {
  total_objects: number;
  /** Absent on the last page: Duo's clients loop while it is there. */
  next_offset?: number;
  prev_offset?: number;
}

export interface OkEnvelope {
  stat: 'OK';
  response: unknown;
  metadata?: ListMetadata;
}

/** What a failed request is answered with. */
export interface FailureReply {
  status: number;
  body: HubFailure;
  /** Seconds, for 429. */
  retryAfter?: number;
}

/** A required parameter is missing: Duo's 40001 rather than the 40002 of an invalid value. */
export class MissingParameterError extends FactordeskError {
  constructor(name: string) {
    super('INVALID_INPUT', `the parameter ${name} is required`);
  }
}

/** The key has used up its request budget: 429 with the seconds until the next request is accepted. */
export class RateLimitedError extends FactordeskError {
  constructor(readonly retryAfterSeconds: number) {
    super('UNAVAILABLE', `too many requests with this integration key; retry in ${retryAfterSeconds} s`);
  }
}

/** HTTP status, Duo detail number and Duo's generic message per error code. */
const BY_CODE: Record<ErrorCode, { status: number; detail: number; message: string }> = {
  INVALID_INPUT: { status: 400, detail: 2, message: 'Invalid request parameters' },
  CONFLICT: { status: 400, detail: 3, message: 'Duplicate resource' },
  REFUSED: { status: 400, detail: 4, message: 'Operation not permitted' },
  FORBIDDEN: { status: 403, detail: 1, message: 'Access forbidden' },
  NOT_FOUND: { status: 404, detail: 1, message: 'Resource not found' },
  UNAVAILABLE: { status: 503, detail: 1, message: 'Service unavailable' },
  INTERNAL: { status: 500, detail: 0, message: 'Internal hub error; see the hub log' },
};

/** The success envelope. */
export function ok(response: unknown, metadata?: ListMetadata): OkEnvelope {
  return metadata === undefined ? { stat: 'OK', response } : { stat: 'OK', response, metadata };
}

function detailOf(error: FactordeskError): string {
  return error.hint ? `${error.userMessage} (${error.hint})` : error.userMessage;
}

/** The failure reply of any error: a FactordeskError by its code, anything else as a 500 without details. */
export function failureOf(error: unknown): FailureReply {
  if (error instanceof RateLimitedError) {
    return { status: 429, body: failure(429, 1, 'Too many requests', detailOf(error)), retryAfter: error.retryAfterSeconds };
  }
  if (error instanceof MissingParameterError) {
    return { status: 400, body: failure(400, 1, 'Missing required request parameters', detailOf(error)) };
  }
  if (isFactordeskError(error)) {
    const { status, detail, message } = BY_CODE[error.code];
    // An internal error's message may name internals: it goes to the log, not to the client.
    return { status, body: error.code === 'INTERNAL' ? failure(status, detail, message) : failure(status, detail, message, detailOf(error)) };
  }
  return { status: 500, body: failure(500, 0, BY_CODE.INTERNAL.message) };
}
