/**
 * The bench's own connection to the sandbox's daemon, through the compiled client. The handshake may wait as
 * long as it takes (the CLI's 5 s would fail while a cold daemon is still busy building its indexes: the wait is
 * what the cold-start figure measures).
 */
import fs from 'node:fs';
import type { DaemonClient } from '../tui/rpc-client-types.js';
import { importDist } from './dist.js';
import type { Sandbox } from './sandbox.js';

/** Connects to the running daemon of the sandbox (no autostart); `timeoutMs` bounds connect and handshake. */
export async function connectBench(sb: Sandbox, timeoutMs = 120_000): Promise<DaemonClient> {
  const { resolvePaths } = await importDist<typeof import('../src/paths.js')>('src/paths.js');
  const { openClient } = await importDist<typeof import('../tui/rpc-client.js')>('tui/rpc-client.js');
  const paths = resolvePaths({ env: sb.env, dataDir: sb.dataDir });
  return openClient(paths.socketPath, { client: 'bench', logFile: paths.logFile, timeoutMs });
}

export interface ProcessMemory {
  rssMb: number;
  /** The high-water mark of the resident set since the process started. */
  peakRssMb: number;
}

/** VmRSS and VmHWM of a process (Linux /proc), in MiB. */
export function processMemory(pid: number): ProcessMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}
