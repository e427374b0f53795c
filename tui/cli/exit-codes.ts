/** The CLI's exit codes, for scripts, and which outcome gets which. */
import { CommanderError, InvalidArgumentError } from 'commander';
import { isFactordeskError } from '../../src/errors.js';

export const EXIT = {
  /** Done. */
  OK: 0,
  /** Refused or invalid input (or a bug): a one-line message on stderr. */
  REFUSED: 1,
  /** Bad usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** The daemon cannot be reached (and could not be started). */
  UNREACHABLE: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ends a command with an exit code after it has printed what it had to (e.g. `daemon status` when not running). */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliExit) return error.exitCode;
  if (error instanceof CommanderError) {
    // Help and --version end through CommanderError with code 0; every other one is a usage error.
    return error.exitCode === 0 && !(error instanceof InvalidArgumentError) ? EXIT.OK : EXIT.USAGE;
  }
  if (isFactordeskError(error) && error.code === 'UNAVAILABLE') return EXIT.UNREACHABLE;
  return EXIT.REFUSED;
}
