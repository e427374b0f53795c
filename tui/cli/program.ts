/**
 * The `factordesk` command line: global options, the registry of subcommand groups, the context each command is
 * handed, and the one place where errors become a message on stderr and an exit code.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isFactordeskError } from '../../src/errors.js';
import { resolvePaths, type ResolvedPaths } from '../../src/paths.js';
import { packageVersion } from '../../src/version.js';
import { connectDaemon } from '../rpc-client.js';
import type { DaemonClient } from '../rpc-client-types.js';
import type { CliContext, OutputFormat } from './context.js';
import { CliExit, EXIT, exitCodeFor } from './exit-codes.js';
import { register as registerDaemon } from './commands/daemon.js';
import { register as registerUsers } from './commands/users.js';
import { register as registerPhones } from './commands/phones.js';
import { register as registerTokens } from './commands/tokens.js';
import { register as registerAdmins } from './commands/admins.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerReport } from './commands/report.js';
import { register as registerSync } from './commands/sync.js';
import { register as registerHub } from './commands/hub.js';
import { register as registerRequests } from './commands/requests.js';

/** What the `daemon` commands (and any command needing more than CliContext) are handed. */
export interface CliRuntime extends CliContext {
  /** File locations for the chosen data directory. */
  paths(): ResolvedPaths;
  /** The `--data-dir` given on the command line, if any (passed on to a daemon this CLI starts). */
  dataDirOption(): string | undefined;
  /** Whether --debug was given. */
  debug(): boolean;
  /** Writes to stderr. */
  err(text: string): void;
  /** The environment (paths are resolved from it). */
  env(): Readonly<Record<string, string | undefined>>;
}

/** Adds one group of subcommands; CliContext is all most groups need. */
export type RegisterCommands = (program: Command, ctx: CliRuntime) => void;

/** The subcommand groups, in the order `--help` lists them. Add a group here. */
export const COMMANDS: RegisterCommands[] = [
  registerUsers,
  registerPhones,
  registerTokens,
  registerAdmins,
  registerReport,
  registerSync,
  registerRequests,
  registerDemo,
  registerDaemon,
  registerHub,
];

/** Where the CLI writes and what it knows of its terminal; the process's own by default. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (then no subcommand opens the TUI). */
  stdoutIsTTY: boolean;
}

interface GlobalOptions {
  dataDir?: string;
  format: OutputFormat;
  debug?: boolean;
}

/** Builds the program and the context its commands share. */
export function buildProgram(io: CliIo): { program: Command; ctx: CliRuntime; closeClient(): void } {
  const program = new Command('factordesk');
  const opts = () => program.opts<GlobalOptions>();
  let client: Promise<DaemonClient> | undefined;
  let paths: ResolvedPaths | undefined;

  const ctx: CliRuntime = {
    client() {
      client ??= connectDaemon({ dataDir: opts().dataDir, client: 'cli', env: io.env, paths: ctx.paths() });
      return client;
    },
    format: () => opts().format,
    out: (text) => io.stdout(text),
    err: (text) => io.stderr(text),
    paths: () => (paths ??= resolvePaths({ env: io.env, dataDir: opts().dataDir })),
    dataDirOption: () => opts().dataDir,
    debug: () => opts().debug === true,
    env: () => io.env,
  };

  program
    .description('Keyboard-driven administration of two-factor devices. With no command, opens the TUI.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .addOption(new Option('--data-dir <dir>', 'data directory (default: $FACTORDESK_HOME, else $XDG_DATA_HOME/factordesk, else ~/.local/share/factordesk)'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--debug', 'print the full error chain when a command fails')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError()
    .allowExcessArguments()
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // One style for every failure: `factordesk: <message>`, whether commander or a command reports it.
      outputError: (text, write) => write(`factordesk: ${text.replace(/^error: /, '')}`),
    });
  // Subcommands inherit exitOverride and the output settings from here, so these come first.
  for (const register of COMMANDS) register(program, ctx);

  program.action(async (_options: unknown, command: Command) => {
    const [unknown] = command.args;
    if (unknown !== undefined) {
      program.error(`unknown command '${unknown}' (see factordesk --help)`, { exitCode: EXIT.USAGE, code: 'commander.unknownCommand' });
    }
    if (!io.stdoutIsTTY) {
      program.error('no command given and stdout is not a terminal; see `factordesk --help` for the CLI subcommands', {
        exitCode: EXIT.USAGE,
        code: 'factordesk.noTerminal',
      });
    }
    // Loaded on demand: subcommands should not pay for Ink and React.
    const { runTui } = await import('../app.js');
    await runTui({ dataDir: opts().dataDir });
  });

  return {
    program,
    ctx,
    closeClient() {
      void client?.then((c) => c.close()).catch(() => undefined);
    },
  };
}

/** Runs the CLI on `argv` (as in process.argv) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdout: io.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: io.stderr ?? ((t) => void process.stderr.write(t)),
    env: io.env ?? process.env,
    stdoutIsTTY: io.stdoutIsTTY ?? process.stdout.isTTY === true,
  };
  const { program, ctx, closeClient } = buildProgram(fullIo);
  try {
    await program.parseAsync([...argv]);
    return EXIT.OK;
  } catch (error) {
    reportError(error, fullIo, ctx);
    return exitCodeFor(error);
  } finally {
    closeClient();
  }
}

/** One line (and a hint) on stderr for people; the whole chain with --debug. */
function reportError(error: unknown, io: CliIo, ctx: CliRuntime): void {
  if (error instanceof CliExit) return;
  // Commander has already printed its own usage errors; an InvalidArgumentError thrown by an action has not.
  if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) return;
  let debug = false;
  try {
    debug = ctx.debug();
  } catch {
    // options not parsed
  }
  if (isFactordeskError(error)) {
    io.stderr(`factordesk: ${error.userMessage}\n`);
    if (error.hint) io.stderr(`hint: ${error.hint}\n`);
  } else if (error instanceof InvalidArgumentError) {
    io.stderr(`factordesk: ${error.message}\nhint: see the command's --help\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`factordesk: unexpected error: ${message}\n`);
    if (!debug) io.stderr('hint: run again with --debug for the details\n');
  }
  if (debug) io.stderr(errorChain(error, safePaths(ctx)?.logFile));
}

/** Every error in the cause chain with its stack, for --debug. */
export function errorChain(error: unknown, logFile?: string): string {
  const lines: string[] = ['--- error chain (--debug) ---'];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const prefix = depth === 0 ? '' : 'caused by: ';
    if (current instanceof Error) {
      const code = isFactordeskError(current) ? `[${current.code}] ` : '';
      lines.push(`${prefix}${code}${current.stack ?? `${current.name}: ${current.message}`}`);
      current = current.cause;
    } else {
      lines.push(`${prefix}${String(current)}`);
      break;
    }
  }
  if (logFile) lines.push(`daemon log: ${logFile}`);
  return lines.join('\n') + '\n';
}

function safePaths(ctx: CliRuntime): ResolvedPaths | undefined {
  try {
    return ctx.paths();
  } catch {
    return undefined;
  }
}
