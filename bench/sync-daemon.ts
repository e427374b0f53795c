/**
 * A daemon of the sync measurements: its own sandbox (data and runtime directories), started with
 * `factordesk daemon start` (compiled), pointed at a hub with the same `login` the CLI runs (certificate pinned on
 * first use, whoami, config.json), and the bench's RPC connection to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SyncStatus } from '../src/rpc/contract.js';
import { isAlive } from '../src/process-alive.js';
import type { DaemonClient } from '../tui/rpc-client-types.js';
import { connectBench, processMemory } from './daemon-link.js';
import { importDist } from './dist.js';
import type { BenchHub, HubCredential } from './hub-process.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { until } from './wait.js';

export interface SyncDaemon {
  name: string;
  sb: Sandbox;
  /** The RPC connection (after `start`). */
  readonly rpc: DaemonClient;
  readonly pid: number;
  /** `factordesk daemon start` (`nodeArgs` reach the daemon, e.g. --cpu-prof), then the bench's connection; returns how long the command took. */
  start(nodeArgs?: string[]): Promise<number>;
  /**
   * Writes the hub into config.json as `factordesk login URL --ikey … --skey-file …` does (the same function,
   * in this process: no CLI start-up in what is timed). A running daemon replicates once told `sync.reload`.
   */
  login(hub: BenchHub, credential: HubCredential): Promise<void>;
  /** `sync.status`, asked on a connection of its own (see the implementation). */
  status(): Promise<SyncStatus>;
  /** Resident memory of the daemon process, MiB. */
  rssMb(): number;
  /** Stops the daemon and waits until the process has exited (the directories stay; `start` again). */
  stop(): Promise<void>;
  /** Stops the daemon (waits until the process has exited) and removes its directories. */
  dispose(): Promise<void>;
}

/** A daemon in a fresh sandbox (not started). */
export function syncDaemon(name: string): SyncDaemon {
  const sb = createSandbox(`fd-bench-${name}-`);
  let client: DaemonClient | undefined;
  const daemon: SyncDaemon = {
    name,
    sb,
    get rpc() {
      if (!client) throw new Error(`daemon ${name} is not started`);
      return client;
    },
    get pid() {
      return daemon.rpc.hello.pid;
    },
    async start(nodeArgs = []) {
      const t0 = performance.now();
      const r = await sb.cli(['daemon', 'start'], { nodeArgs });
      const ms = performance.now() - t0;
      // The CLI gives up on the handshake after 5 s; a daemon busy with its first pull may answer later.
      if (r.exitCode !== 0 && !/did not answer within/.test(r.stderr)) throw new Error(`factordesk daemon start (${name}) exited ${r.exitCode}: ${r.stderr.trim()}`);
      client = await connectBench(sb);
      return ms;
    },
    async login(hub, credential) {
      const [{ login }, { resolvePaths }] = await Promise.all([
        importDist<typeof import('../daemon/hub-login.js')>('daemon/hub-login.js'),
        importDist<typeof import('../src/paths.js')>('src/paths.js'),
      ]);
      const paths = resolvePaths({ env: sb.env, dataDir: sb.dataDir });
      await login({ configFile: paths.configFile, url: hub.url, ikey: credential.ikey, skeyFile: credential.skeyFile, fingerprint: hub.fingerprint });
    },
    async status() {
      // A connection of its own each time: asking `sync.status` subscribes the asking connection to status pushes
      // (the TUI's status line), and a daemon with a subscriber recounts its queue after every change.
      const probe = await connectBench(sb);
      try {
        return await probe.request('sync.status', {});
      } finally {
        probe.close();
      }
    },
    rssMb: () => processMemory(daemon.pid).rssMb,
    async stop() {
      const c = client;
      client = undefined;
      if (c) await shutDown(c, name);
    },
    async dispose() {
      try {
        await daemon.stop();
      } finally {
        sb.cleanup();
      }
    },
  };
  return daemon;
}

/**
 * Stops a daemon through the bench's own connection (`session.shutdown`, what `daemon stop` sends; the CLI's
 * 5 s handshake can time out on a daemon busy with a large replica) and waits until the process has exited (a
 * profiled daemon writes its profile then); SIGTERM, then SIGKILL, when it does not go in time.
 */
async function shutDown(c: DaemonClient, name: string): Promise<void> {
  const pid = c.hello.pid;
  const closed = new Promise<void>((resolve) => c.onClose(resolve));
  await Promise.race([c.request('session.shutdown', {}).catch(() => undefined), closed]);
  c.close();
  for (const [signal, waitMs] of [[undefined, 120_000], ['SIGTERM', 30_000], ['SIGKILL', 10_000]] as const) {
    if (signal) {
      process.stderr.write(`bench: daemon ${name} (pid ${pid}) did not exit; ${signal}\n`);
      try {
        process.kill(pid, signal);
      } catch {
        return;
      }
    }
    const deadline = performance.now() + waitMs;
    while (performance.now() < deadline) {
      if (!isAlive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`daemon ${name} (pid ${pid}) is still running after SIGKILL`);
}

/**
 * Copies the replica of a stopped daemon (the SQLite file with RxDB's checkpoints and assumed master states)
 * into another daemon's empty data directory: a second replica of the same hub without a second full pull.
 */
export function cloneReplica(from: SyncDaemon, to: SyncDaemon): void {
  fs.mkdirSync(to.sb.dataDir, { recursive: true, mode: 0o700 });
  for (const file of fs.readdirSync(from.sb.dataDir)) {
    if (file.startsWith('replica.sqlite')) fs.copyFileSync(path.join(from.sb.dataDir, file), path.join(to.sb.dataDir, file));
  }
}

/** Waits until the daemon is online with nothing queued. */
export async function untilOnline(daemon: SyncDaemon, timeoutMs = 120_000): Promise<SyncStatus> {
  return until(
    `daemon ${daemon.name} online with nothing queued`,
    async () => {
      const s = await daemon.status();
      return s.state === 'online' && s.queued === 0 ? s : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
