/**
 * What a server-side operation is given and answers. Operations live in daemon/hub/operations/, one per request
 * kind; the runner (runner.ts) claims a pending request, calls its operation and writes the answer back.
 */
import type { Logger } from 'pino';
import type { RequestKind } from '../../../src/domain/enums.js';
import type { ServerRequest } from '../../../src/domain/schemas.js';
import { FactordeskError, type ErrorCode } from '../../../src/errors.js';
import type { Pusher } from '../authorized-push.js';
import type { Mailer } from '../mailer.js';
import type { HubStore, JsonValue } from '../store.js';

/** A request's answer: a JSON object (never a secret: it is replicated to every daemon). */
export type OperationResult = { [key: string]: JsonValue };

/** Hub settings operations read. */
export interface OperationSettings {
  /** HOTP counters scanned ahead of the stored one by a resync. */
  resyncWindow: number;
  /** Sends the hub's mail (activations); absent when hub.json configures no SMTP server. */
  mailer?: Mailer;
}

/** What the hub hands an operation. */
export interface OperationContext {
  readonly store: HubStore;
  readonly account: string;
  readonly log: Logger;
  /** The hub's clock, epoch ms. */
  readonly now: () => number;
  readonly settings: OperationSettings;
  readonly request: ServerRequest;
  /** The requesting administrator, as authorized pushes and the audit trail know them (role read at run time). */
  readonly requester: Pusher;
  /** The file sent with the request, if any. */
  attachment(): Promise<string | undefined>;
}

/** Runs one kind of request. Throws FactordeskError (or OperationFailure) to fail it. */
export type Operation = (cx: OperationContext) => Promise<OperationResult>;

/** The operations a hub runs, by kind (a kind without one fails its requests with a clear message). */
export type OperationTable = Partial<Record<RequestKind, Operation>>;

/** A failure with details for the requester (e.g. an import's per-row errors), stored as the request's result. */
export class OperationFailure extends FactordeskError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly details: OperationResult,
    options: { hint?: string } = {},
  ) {
    super(code, message, options);
  }
}

/** A string parameter of a request, or a clear error. */
export function stringParam(request: ServerRequest, name: string): string {
  const value = (request.params as Record<string, unknown>)[name];
  if (typeof value !== 'string' || value === '') throw new FactordeskError('INVALID_INPUT', `The request has no ${name}.`);
  return value;
}

/** An optional string parameter. */
export function optionalStringParam(request: ServerRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown>)[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new FactordeskError('INVALID_INPUT', `The request's ${name} must be text.`);
  return value;
}
