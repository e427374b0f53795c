/** Runs the real CLI (and through it the real daemon) in child processes, each test in its own directories. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'tui/cli/main.ts');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  dataDir: string;
  runtimeDir: string;
  env: Record<string, string>;
  /** Runs `factordesk --data-dir <dataDir> …args`. */
  run(...args: string[]): Promise<CliResult>;
  /** Runs and expects exit 0; returns stdout. */
  ok(...args: string[]): Promise<string>;
  /** Parses `--format json` output of a successful run. */
  json<T>(...args: string[]): Promise<T>;
  /** Stops the daemon and removes the directories. */
  dispose(): Promise<void>;
}

/** A fresh data directory and runtime directory for one test. */
export function cliSandbox(prefix = 'fd-test-'): CliSandbox {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(base, 'data');
  const runtimeDir = path.join(base, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  const env = { XDG_RUNTIME_DIR: runtimeDir, XDG_STATE_HOME: path.join(base, 'state'), XDG_CONFIG_HOME: path.join(base, 'config') };
  const run = async (...args: string[]): Promise<CliResult> => {
    const result = await execa(process.execPath, ['--import', 'tsx', ENTRY, '--data-dir', dataDir, ...args], {
      cwd: ROOT,
      env: { ...env, NODE_ENV: 'production' },
      reject: false,
      stdin: 'ignore',
      timeout: 120_000,
    });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    if (r.exitCode !== 0) throw new Error(`factordesk ${args.join(' ')} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  return {
    dataDir,
    runtimeDir,
    env,
    run,
    ok,
    json: async <T>(...args: string[]) => JSON.parse(await ok('--format', 'json', ...args)) as T,
    async dispose() {
      await run('daemon', 'stop');
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
