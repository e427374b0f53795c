/**
 * Measurement 3: the daemon's cold start on a loaded replica, as a user meets it: `factordesk daemon start`
 * (which spawns the daemon and waits until it answers), then the first devices view served to a client; and
 * the daemon's resident memory right after that view.
 */
import { performance } from 'node:perf_hooks';
import { isAlive } from '../src/process-alive.js';
import { connectBench, processMemory } from './daemon-link.js';
import type { Sandbox } from './sandbox.js';

export interface ColdStartRun {
  /** `daemon start` begun → first devices view received. */
  totalMs: number;
  /** The `factordesk daemon start` command (CLI process, daemon spawned, replica loaded, socket answering). */
  startCommandMs: number;
  /**
   * The command's failure when it gave up waiting for the handshake (the CLI waits 5 s for an answer, and a
   * daemon still building its indexes may not answer that soon); the first view is then still waited for.
   */
  startCommandError?: string;
  /** Connect and handshake after the command returned. */
  helloMs: number;
  /** The first `view.query` of the devices (waits for any index building the daemon does first). */
  firstViewMs: number;
  devices: number;
  rssMb: number;
  peakRssMb: number;
  pid: number;
}

/** One cold start; the daemon keeps running afterwards. `nodeArgs` reach the daemon too (e.g. --cpu-prof). */
export async function coldStart(sb: Sandbox, nodeArgs: string[] = []): Promise<ColdStartRun> {
  const t0 = performance.now();
  const start = await sb.cli(['daemon', 'start'], { nodeArgs });
  const t1 = performance.now();
  const startCommandError = start.exitCode === 0 ? undefined : start.stderr.trim().split('\n')[0] ?? `exit ${start.exitCode}`;
  if (startCommandError !== undefined && !/did not answer within/.test(startCommandError)) {
    throw new Error(`factordesk daemon start exited ${start.exitCode}: ${start.stderr.trim()}`);
  }
  const client = await connectBench(sb);
  const t2 = performance.now();
  try {
    const view = await client.request('view.query', { entity: 'devices', window: { offset: 0, limit: 40 } });
    const t3 = performance.now();
    const memory = processMemory(client.hello.pid);
    return {
      totalMs: t3 - t0,
      startCommandMs: t1 - t0,
      helloMs: t2 - t1,
      firstViewMs: t3 - t2,
      ...(startCommandError !== undefined ? { startCommandError } : {}),
      devices: view.total,
      ...memory,
      pid: client.hello.pid,
    };
  } finally {
    client.close();
  }
}

/**
 * Stops the sandbox's daemon and waits until it has gone; given its pid, until the process has exited too (the
 * socket closes first; a profiled daemon writes its CPU profile after that).
 */
export async function stopDaemon(sb: Sandbox, pid?: number, timeoutMs = 60_000): Promise<void> {
  await sb.cliOk(['daemon', 'stop']);
  if (pid === undefined) return;
  const deadline = performance.now() + timeoutMs;
  while (isAlive(pid)) {
    if (performance.now() > deadline) throw new Error(`the daemon (pid ${pid}) did not exit within ${timeoutMs / 1000} s of stopping`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
