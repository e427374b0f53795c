/**
 * A throwaway factordesk installation for one bench run: its own data, runtime, state and config directories,
 * an environment that names only those (and keeps the local hub off), and the real CLI run as a child process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { CLI_ENTRY, ROOT } from './dist.js';

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  nodeArgs?: string[];
  timeoutMs?: number;
}

export interface Sandbox {
  base: string;
  dataDir: string;
  /** The environment every process of the run gets (no NODE_OPTIONS, no CI: see `childEnv`). */
  env: Record<string, string>;
  /**
   * Runs `factordesk --data-dir DATA …args` (compiled) and times it. `nodeArgs` go to node; a daemon the command
   * spawns inherits them (autostart passes its own flags on), which is how `--cpu-prof` reaches the daemon
   * (Node refuses it in NODE_OPTIONS).
   */
  cli(args: string[], options?: CliOptions): Promise<CliRun>;
  /** As `cli`, failing with the command's stderr unless it exits 0. */
  cliOk(args: string[], options?: CliOptions): Promise<CliRun>;
  cleanup(): void;
}

const INHERITED_DROPPED = /^(NODE_OPTIONS|FACTORDESK_.*|XDG_.*|CI|CONTINUOUS_INTEGRATION|CI_.*)$/;

/**
 * The parent's environment without what would change how the processes under test behave: loader flags
 * (NODE_OPTIONS), factordesk and XDG locations, and CI markers (Ink renders nothing until exit when it thinks
 * it runs in CI, which would make the TUI measurement meaningless).
 */
export function childEnv(parent: NodeJS.ProcessEnv, own: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (v !== undefined && !INHERITED_DROPPED.test(k)) env[k] = v;
  return { ...env, ...own };
}

/** Creates the directories (runtime dir 0700, as the daemon requires) and the environment. */
export function createSandbox(prefix = 'fd-bench-'): Sandbox {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(base, 'data');
  const runtimeDir = path.join(base, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  const env = childEnv(process.env, {
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_STATE_HOME: path.join(base, 'state'),
    XDG_CONFIG_HOME: path.join(base, 'config'),
    XDG_DATA_HOME: path.join(base, 'share'),
    FACTORDESK_NO_LOCAL_HUB: '1',
    NODE_ENV: 'production',
  });
  const cli: Sandbox['cli'] = async (args, options = {}) => {
    const started = performance.now();
    const r = await execa(process.execPath, [...(options.nodeArgs ?? []), CLI_ENTRY, '--data-dir', dataDir, ...args], {
      cwd: ROOT,
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: options.timeoutMs ?? 300_000,
    });
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
  };
  return {
    base,
    dataDir,
    env,
    cli,
    async cliOk(args, options) {
      const r = await cli(args, options);
      if (r.exitCode !== 0) throw new Error(`factordesk ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`);
      return r;
    },
    cleanup() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
