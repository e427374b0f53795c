/**
 * Measurement 1 from the bench's side: runs tui-driver.ts in its own process (as the TUI runs in its own
 * process in real use) against the sandbox's running daemon, and returns what it recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { ROOT } from './dist.js';
import type { KeyStep } from './keystrokes.js';
import type { Sandbox } from './sandbox.js';
import type { DriverInput, DriverOutput } from './tui-driver.js';

const DRIVER = path.join(ROOT, 'bench', 'tui-driver.ts');

export interface TuiLatencyOptions {
  steps: KeyStep[];
  columns: number;
  rows: number;
  gapMs: number;
  keyTimeoutMs: number;
  /** Write the TUI process's CPU profile here. */
  profileDir?: string;
}

/** Replays the steps in the TUI and returns the per-key records. */
export async function measureTuiLatency(sb: Sandbox, options: TuiLatencyOptions): Promise<DriverOutput> {
  const input: DriverInput = {
    dataDir: sb.dataDir,
    columns: options.columns,
    rows: options.rows,
    gapMs: options.gapMs,
    keyTimeoutMs: options.keyTimeoutMs,
    steps: options.steps,
  };
  const inFile = path.join(sb.base, 'tui-driver-input.json');
  const outFile = path.join(sb.base, 'tui-driver-output.json');
  fs.writeFileSync(inFile, JSON.stringify(input));
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const r = await execa(process.execPath, [...profile, '--import', 'tsx', DRIVER, inFile, outFile], {
    cwd: ROOT,
    env: sb.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: options.steps.length * (options.keyTimeoutMs + options.gapMs) + 120_000,
  });
  if (r.exitCode !== 0) throw new Error(`the TUI driver failed (exit ${String(r.exitCode)}): ${r.stderr.trim()}`);
  return JSON.parse(fs.readFileSync(outFile, 'utf8')) as DriverOutput;
}
