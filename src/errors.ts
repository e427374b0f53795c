/** Error codes every boundary maps to; the RPC carries the code, never a stack. */
export type ErrorCode =
  | 'INVALID_INPUT' // malformed or out-of-range input
  | 'NOT_FOUND' // a named user, device, token... does not exist
  | 'CONFLICT' // would break uniqueness or another invariant
  | 'FORBIDDEN' // the administrator's role does not allow the action
  | 'REFUSED' // the domain forbids the action (e.g. deleting a d1 token)
  | 'UNAVAILABLE' // the daemon or hub cannot be reached
  | 'INTERNAL'; // a bug: the log has the chain

/** A failure a person can act on: `userMessage` is shown as is, `hint` says what to do next. */
export class FactordeskError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly hint?: string;

  constructor(code: ErrorCode, userMessage: string, options: { hint?: string; cause?: unknown } = {}) {
    super(userMessage, { cause: options.cause });
    this.name = 'FactordeskError';
    this.code = code;
    this.userMessage = userMessage;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Shorthands for the common cases. */
export const invalid = (msg: string, hint?: string) => new FactordeskError('INVALID_INPUT', msg, { hint });
export const notFound = (msg: string, hint?: string) => new FactordeskError('NOT_FOUND', msg, { hint });
export const refused = (msg: string, hint?: string) => new FactordeskError('REFUSED', msg, { hint });
export const conflict = (msg: string, hint?: string) => new FactordeskError('CONFLICT', msg, { hint });
export const forbidden = (msg: string, hint?: string) => new FactordeskError('FORBIDDEN', msg, { hint });

/** True for errors that carry a user-facing message. */
export function isFactordeskError(e: unknown): e is FactordeskError {
  return e instanceof FactordeskError;
}
