/**
 * The daemon's log: pino, one JSON line per event, in the state directory. Secrets are redacted by key name
 * wherever they appear in a logged object (a token seed must never reach the log, even by mistake).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Keys whose values never reach the log, at any of the first three levels of a logged object. */
const SECRET_KEYS = ['secret', 'skey', 'aes_key', 'secret_key', 'activation_secret', 'password', 'token_secret', 'seed'];

/** pino redact paths for SECRET_KEYS (pino's `*` matches exactly one level, hence the three depths). */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export interface DaemonLogger {
  log: Logger;
  /** Writes out buffered lines; call before the process exits. */
  flush(): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export interface CreateLoggerOptions {
  logFile: string;
  level?: LevelWithSilent;
  /** Fields on every line, e.g. `{ pid }` (pid and hostname are not added by default). */
  base?: Record<string, unknown>;
}

/** Opens the log file (creating its directory 0700 and the file 0600) and returns a logger writing to it. */
export function createLogger(options: CreateLoggerOptions): DaemonLogger {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true, mode: 0o700 });
  // Opened here, synchronously: a daemon that fails in its first milliseconds must still be able to flush the
  // reason to the file before it exits (an asynchronously opening destination cannot flush yet, and pino's own
  // exit hook would then throw).
  const fd = fs.openSync(options.logFile, 'a', 0o600);
  const destination = pino.destination({ dest: fd, sync: false });
  // A log that cannot be written (disk full, directory removed) must not take the daemon down with it.
  let reported = false;
  destination.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    process.stderr.write(`factordesk daemon: cannot write the log ${options.logFile}: ${err.message}\n`);
  });
  const log = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      // already closed: nothing buffered to lose
    }
  };
  return {
    log,
    flush,
    close: () =>
      new Promise<void>((resolve) => {
        if ((destination as unknown as { destroyed?: boolean }).destroyed) return resolve();
        destination.once('close', () => resolve());
        destination.once('error', () => resolve());
        destination.end();
      }),
  };
}

/** A logger that drops everything, for tests and tools that have no log file. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
