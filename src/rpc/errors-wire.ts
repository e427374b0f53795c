/**
 * How errors cross the daemon socket: a FactordeskError travels as its code, message and hint (never a stack);
 * anything else is a bug, which the client sees only as "internal error, see the log".
 */
import { FactordeskError, type ErrorCode } from '../errors.js';
import { RPC_ERROR, type RpcErrorData } from './contract.js';

/** A JSON-RPC error object as it goes on the wire. */
export interface WireError {
  code: number;
  message: string;
  data?: RpcErrorData;
}

/** Standard JSON-RPC 2.0 error codes the server and client meet. */
export const JSONRPC_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
} as const;

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'REFUSED',
  'UNAVAILABLE',
  'INTERNAL',
]);

/** The message a client sees for a daemon bug; the detail stays in the log. */
export function internalErrorMessage(logFile: string | undefined): string {
  return logFile ? `internal error in the daemon; see ${logFile}` : 'internal error in the daemon; see its log file';
}

/** Maps anything a handler threw to the error object sent to the client. */
export function toWireError(error: unknown, logFile?: string): WireError {
  if (error instanceof FactordeskError) {
    const data: RpcErrorData = { code: error.code };
    if (error.hint !== undefined) data.hint = error.hint;
    return { code: RPC_ERROR.APPLICATION, message: error.userMessage, data };
  }
  return { code: RPC_ERROR.APPLICATION, message: internalErrorMessage(logFile), data: { code: 'INTERNAL' } };
}

/** Turns an error received from the daemon into a FactordeskError the CLI and TUI can show. */
export function fromWireError(wire: { code: number; message: string; data?: unknown }, method?: string): FactordeskError {
  const data = isRecord(wire.data) ? wire.data : {};
  const hint = typeof data.hint === 'string' ? data.hint : undefined;
  if (wire.code === RPC_ERROR.APPLICATION && typeof data.code === 'string' && ERROR_CODES.has(data.code)) {
    return new FactordeskError(data.code as ErrorCode, wire.message, { hint });
  }
  if (wire.code === JSONRPC_ERROR.METHOD_NOT_FOUND) {
    return new FactordeskError('INTERNAL', `the daemon does not know the request ${method ?? ''}`.trimEnd(), {
      hint: 'the daemon may be an older version: restart it with `factordesk daemon stop`',
    });
  }
  if (wire.code === JSONRPC_ERROR.INVALID_PARAMS) {
    return new FactordeskError('INVALID_INPUT', wire.message);
  }
  return new FactordeskError('INTERNAL', `the daemon answered with an error: ${wire.message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
