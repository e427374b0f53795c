/** `factordesk daemon start | stop | status | run`: the background daemon's life cycle. */
import { Option, type Command } from 'commander';
import type { ResolvedPaths } from '../../../src/paths.js';
import { PROTOCOL_VERSION, type Hello } from '../../../src/rpc/contract.js';
import { probeDaemon, stopDaemon } from '../../rpc-client.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatRecord } from '../output.js';
import type { CliRuntime } from '../program.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Registers the daemon command group. */
export function register(program: Command, ctx: CliRuntime): void {
  const daemon = program.command('daemon').description('the background daemon that keeps the replica and serves the TUI and CLI');

  daemon
    .command('start')
    .description('start the daemon for the data directory (nothing to do if it runs)')
    .action(async () => {
      const client = await ctx.client();
      printStatus(ctx, client.hello, ctx.paths());
    });

  daemon
    .command('stop')
    .description('stop the daemon and wait until it has gone')
    .action(async () => {
      const paths = ctx.paths();
      const client = await connectOrNothing(ctx);
      if (!client) {
        ctx.out(ctx.format() === 'table' ? 'daemon is not running\n' : formatRecord(ctx.format(), [['status', 'not running']], { status: 'not running' }));
        return;
      }
      const pid = client.hello.pid;
      await stopDaemon(client, paths);
      ctx.out(
        ctx.format() === 'table'
          ? `daemon stopped (pid ${pid})\n`
          : formatRecord(ctx.format(), [['status', 'stopped'], ['pid', String(pid)]], { status: 'stopped', pid }),
      );
    });

  daemon
    .command('status')
    .description('say whether the daemon runs, with its pid, version, socket and log file (exit 3 when not running)')
    .action(async () => {
      const paths = ctx.paths();
      const client = await connectOrNothing(ctx);
      if (!client) {
        const json = { status: 'not running', data_dir: paths.dataDir, socket: paths.socketPath, log_file: paths.logFile };
        ctx.out(formatRecord(ctx.format(), Object.entries(json), json));
        throw new CliExit(EXIT.UNREACHABLE);
      }
      printStatus(ctx, client.hello, paths);
      client.close();
    });

  daemon
    .command('run')
    .description('run the daemon in the foreground (what `start` spawns); stops on Ctrl-C or SIGTERM')
    .addOption(new Option('--log-level <level>', 'log level (default info, debug with --debug)').choices(LEVELS))
    .action(async (options: { logLevel?: Level }) => {
      // Loaded on demand: the replica and RxDB are the daemon's business, not every CLI call's.
      const [{ runDaemon }, { openDaemonService }] = await Promise.all([import('../../../daemon/run.js'), import('../../../daemon/service.js')]);
      const paths = ctx.paths();
      const code = await runDaemon({
        paths,
        openService: openDaemonService,
        logLevel: options.logLevel ?? (ctx.debug() ? 'debug' : 'info'),
        onReady: () => ctx.err(`factordesk daemon (pid ${process.pid}) serving ${paths.dataDir} on ${paths.socketPath}; log: ${paths.logFile}\n`),
      });
      if (code !== 0) throw new CliExit(code);
    });
}

/** A client of the running daemon, whatever protocol it speaks (so an old one can be seen and stopped), or none. */
async function connectOrNothing(ctx: CliRuntime) {
  const probe = await probeDaemon(ctx.paths(), 'cli');
  return probe.state === 'unreachable' ? undefined : probe.client;
}

function printStatus(ctx: CliRuntime, hello: Hello, paths: ResolvedPaths): void {
  const uptimeS = Math.max(0, Math.round((Date.now() - hello.startedAt) / 1000));
  const json = {
    status: 'running',
    pid: hello.pid,
    version: hello.version,
    protocol: hello.protocol,
    data_dir: hello.dataDir,
    administrator: hello.identity.name,
    role: hello.identity.role,
    socket: paths.socketPath,
    log_file: paths.logFile,
    started_at: new Date(hello.startedAt).toISOString(),
    uptime_s: uptimeS,
  };
  const fields: [string, string][] = [
    ['status', 'running'],
    ['pid', String(hello.pid)],
    ['version', `${hello.version} (protocol ${hello.protocol}${hello.protocol === PROTOCOL_VERSION ? '' : `; this client needs ${PROTOCOL_VERSION}: restart it`})`],
    ['data_dir', hello.dataDir],
    ['acting as', `${hello.identity.name} (${hello.identity.role})`],
    ['socket', paths.socketPath],
    ['log_file', paths.logFile],
    ['uptime', ctx.format() === 'table' ? humanDuration(uptimeS) : String(uptimeS)],
  ];
  ctx.out(formatRecord(ctx.format(), fields, json));
}

/** `1h 02m`, `3m 07s`, `12s`. */
export function humanDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
