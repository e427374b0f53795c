import { describe, expect, it } from 'vitest';
import { FactordeskError, refused } from '../../../src/errors.js';
import { RPC_ERROR } from '../../../src/rpc/contract.js';
import { fromWireError, JSONRPC_ERROR, toWireError } from '../../../src/rpc/errors-wire.js';

describe('toWireError', () => {
  it('carries a FactordeskError as code, message and hint', () => {
    const wire = toWireError(refused('vendor tokens cannot be deleted', 'ask the vendor'), '/log');
    expect(wire).toEqual({
      code: RPC_ERROR.APPLICATION,
      message: 'vendor tokens cannot be deleted',
      data: { code: 'REFUSED', hint: 'ask the vendor' },
    });
  });

  it('hides anything else behind "internal error", naming the log file, with no stack', () => {
    const wire = toWireError(new TypeError('x is undefined'), '/state/daemon.log');
    expect(wire).toEqual({ code: RPC_ERROR.APPLICATION, message: 'internal error in the daemon; see /state/daemon.log', data: { code: 'INTERNAL' } });
    expect(JSON.stringify(wire)).not.toMatch(/TypeError|x is undefined|at /);
  });
});

describe('fromWireError', () => {
  it('rebuilds the FactordeskError the daemon threw', () => {
    const e = fromWireError(toWireError(new FactordeskError('NOT_FOUND', 'no user alice', { hint: 'list users' })));
    expect(e).toBeInstanceOf(FactordeskError);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toBe('no user alice');
    expect(e.hint).toBe('list users');
  });

  it('maps an unknown method to INTERNAL with a restart hint', () => {
    const e = fromWireError({ code: JSONRPC_ERROR.METHOD_NOT_FOUND, message: 'unknown method: x.y' }, 'x.y');
    expect(e.code).toBe('INTERNAL');
    expect(e.userMessage).toMatch(/x\.y/);
    expect(e.hint).toMatch(/daemon stop/);
  });

  it('maps invalid params to INVALID_INPUT and an unknown data code to INTERNAL', () => {
    expect(fromWireError({ code: JSONRPC_ERROR.INVALID_PARAMS, message: 'params must be an object' }).code).toBe('INVALID_INPUT');
    expect(fromWireError({ code: RPC_ERROR.APPLICATION, message: 'm', data: { code: 'WHATEVER' } }).code).toBe('INTERNAL');
  });
});
