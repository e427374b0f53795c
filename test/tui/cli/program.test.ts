import fs from 'node:fs';
import path from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../daemon/logger.js';
import { startDaemon, type DaemonHandle } from '../../../daemon/run.js';
import { FactordeskError, notFound } from '../../../src/errors.js';
import { PROTOCOL_VERSION } from '../../../src/rpc/contract.js';
import { CliExit, EXIT, exitCodeFor } from '../../../tui/cli/exit-codes.js';
import { errorChain, runCli } from '../../../tui/cli/program.js';
import { fakeService, tempPaths } from '../../daemon/fixtures.js';

let tmp: ReturnType<typeof tempPaths>;
let handle: DaemonHandle | undefined;
beforeEach(() => {
  tmp = tempPaths('fd-program-');
});
afterEach(async () => {
  await handle?.shutdown('test end');
  handle = undefined;
  tmp.cleanup();
});

async function cli(args: string[], options: { tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'factordesk', ...args], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { XDG_RUNTIME_DIR: path.join(tmp.base, 'run') },
    stdoutIsTTY: options.tty ?? false,
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists the command groups and global options in --help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const text of ['--data-dir <dir>', '--format <format>', '--debug', 'daemon']) expect(r.stdout).toContain(text);
  });

  it('with no command and no terminal, exits 2 pointing at --help', async () => {
    const r = await cli([]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toBe('factordesk: no command given and stdout is not a terminal; see `factordesk --help` for the CLI subcommands\n');
  });

  it('exits 2 on usage errors, with commander\'s message in the factordesk style', async () => {
    const unknownCommand = await cli(['frobnicate']);
    expect(unknownCommand.code).toBe(EXIT.USAGE);
    expect(unknownCommand.stderr).toMatch(/^factordesk: unknown command 'frobnicate'/);
    const unknownOption = await cli(['daemon', 'status', '--bogus']);
    expect(unknownOption.code).toBe(EXIT.USAGE);
    expect(unknownOption.stderr).toMatch(/^factordesk: unknown option '--bogus'/);
    const badFormat = await cli(['--format', 'xml', 'daemon', 'status']);
    expect(badFormat.code).toBe(EXIT.USAGE);
    expect(badFormat.stderr).toMatch(/argument 'xml' is invalid/);
  });

  it('daemon status exits 3 and says so when no daemon runs, in every format', async () => {
    const table = await cli(['--data-dir', tmp.paths.dataDir, 'daemon', 'status']);
    expect(table.code).toBe(EXIT.UNREACHABLE);
    expect(table.stdout).toMatch(/^status:\s+not running$/m);
    const json = await cli(['--data-dir', tmp.paths.dataDir, '--format', 'json', 'daemon', 'status']);
    expect(JSON.parse(json.stdout)).toEqual({ status: 'not running', data_dir: tmp.paths.dataDir, socket: tmp.paths.socketPath, log_file: tmp.paths.logFile });
    const csv = await cli(['--data-dir', tmp.paths.dataDir, '--format', 'csv', 'daemon', 'status']);
    expect(csv.stdout.split('\n')[0]).toBe('status,data_dir,socket,log_file');
  });

  describe('with a daemon that refuses', () => {
    beforeEach(async () => {
      const service = fakeService({ 'users.get': async ({ user }) => Promise.reject(notFound(`no user "${user}"`, 'list users with `factordesk users list`')) });
      handle = await startDaemon({ paths: tmp.paths, openService: service.open, log: silentLogger() });
    });

    it('exits 1 with one line and a hint on stderr, no stack', async () => {
      const r = await cli(['--data-dir', tmp.paths.dataDir, 'users', 'show', 'alice']);
      expect(r.code).toBe(EXIT.REFUSED);
      expect(r.stderr).toBe('factordesk: no user "alice"\nhint: list users with `factordesk users list`\n');
      expect(r.stdout).toBe('');
    });

    it('prints the error chain with --debug', async () => {
      const r = await cli(['--debug', '--data-dir', tmp.paths.dataDir, 'users', 'show', 'alice']);
      expect(r.code).toBe(EXIT.REFUSED);
      expect(r.stderr).toContain('factordesk: no user "alice"');
      expect(r.stderr).toContain('--- error chain (--debug) ---');
      expect(r.stderr).toContain('[NOT_FOUND]');
      expect(r.stderr).toContain(`daemon log: ${tmp.paths.logFile}`);
    });

    it('shows the running daemon in daemon status', async () => {
      const r = await cli(['--data-dir', tmp.paths.dataDir, '--format', 'json', 'daemon', 'status']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'running', pid: process.pid, version: '9.9.9', data_dir: tmp.paths.dataDir });
    });
  });
});

describe('daemon status and stop with a daemon of another protocol', () => {
  beforeEach(async () => {
    handle = await startDaemon({ paths: tmp.paths, openService: fakeService({}, PROTOCOL_VERSION + 1).open, log: silentLogger() });
  });

  it('status shows it running and says it needs a restart', async () => {
    const r = await cli(['--data-dir', tmp.paths.dataDir, 'daemon', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^status:\s+running$/m);
    expect(r.stdout).toContain(`protocol ${PROTOCOL_VERSION + 1}; this client needs ${PROTOCOL_VERSION}: restart it`);
  });

  it('stop stops it', async () => {
    const r = await cli(['--data-dir', tmp.paths.dataDir, 'daemon', 'stop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`daemon stopped (pid ${process.pid})\n`);
    await handle!.stopped;
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it('maps outcomes to 0 ok, 1 refused, 2 usage, 3 unreachable', () => {
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', ''))).toBe(2);
    expect(exitCodeFor(new InvalidArgumentError('bad'))).toBe(2);
    expect(exitCodeFor(new FactordeskError('REFUSED', 'no'))).toBe(1);
    expect(exitCodeFor(new FactordeskError('INVALID_INPUT', 'no'))).toBe(1);
    expect(exitCodeFor(new FactordeskError('UNAVAILABLE', 'down'))).toBe(3);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
    expect(exitCodeFor(new CliExit(3))).toBe(3);
  });
});

describe('errorChain', () => {
  it('lists each cause with its stack', () => {
    const root = new Error('socket closed');
    const text = errorChain(new FactordeskError('UNAVAILABLE', 'daemon gone', { cause: root }));
    expect(text).toMatch(/^\[UNAVAILABLE\] FactordeskError: daemon gone\n\s+at /m);
    expect(text).toMatch(/caused by: Error: socket closed\n\s+at /);
  });
});
