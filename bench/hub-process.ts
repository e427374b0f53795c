/**
 * A hub under the bench, run as users run one: `factordesk hub init --self-signed` (SQLite in its directory, or
 * `--db postgres://…`) on a free loopback port, `factordesk hub serve` as a child process (compiled build, the
 * sandbox's environment) that the bench stops and starts again, and credentials from `hub admin add`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../src/free-port.js';
import { CLI_ENTRY, ROOT } from './dist.js';
import type { Sandbox } from './sandbox.js';

export interface HubCredential {
  admin_id: string;
  name: string;
  ikey: string;
  skeyFile: string;
}

export interface BenchHub {
  hubDir: string;
  url: string;
  hubId: string;
  fingerprint: string;
  /** The first Owner (null for a hub directory that joined a database that already had one). */
  owner: HubCredential | null;
  /** Whether `hub serve` is running. */
  readonly running: boolean;
  /** Starts `hub serve` (`nodeArgs` go to node, e.g. --cpu-prof); resolves once it prints its ready line, with the time that took. */
  start(nodeArgs?: string[]): Promise<number>;
  /** SIGTERM and wait until the process has exited. */
  stop(): Promise<void>;
  /** `hub admin add NAME --role ROLE` (run while the hub is stopped, or SIGHUP follows). */
  addAdmin(name: string, role: string): Promise<HubCredential>;
  /** The pid of the running `hub serve`. */
  readonly pid: number | undefined;
}

interface InitJson {
  hub_id: string;
  url: string;
  fingerprint: string | null;
  owner: { admin_id: string; name: string; ikey: string; skey_file: string } | null;
}

/** `hub init` in `hubDir` (self-signed, loopback, a free port; `db` a PostgreSQL URL or SQLite by default). */
export async function initHub(sb: Sandbox, hubDir: string, options: { db?: string } = {}): Promise<BenchHub> {
  const port = await freePort();
  const init = await sb.cliOk([
    '--format', 'json', 'hub', 'init', '--hub-dir', hubDir, '--listen', `127.0.0.1:${port}`, '--self-signed', '--owner', 'Olivia Owner',
    ...(options.db ? ['--db', options.db] : []),
  ]);
  const json = JSON.parse(init.stdout) as InitJson;
  if (!json.fingerprint) throw new Error(`hub init in ${hubDir} made no certificate`);
  let child: ResultPromise | undefined;
  let exited: Promise<unknown> | undefined;
  let pid: number | undefined;
  const hub: BenchHub = {
    hubDir,
    url: json.url,
    hubId: json.hub_id,
    fingerprint: json.fingerprint,
    owner: json.owner ? { admin_id: json.owner.admin_id, name: json.owner.name, ikey: json.owner.ikey, skeyFile: json.owner.skey_file } : null,
    get running() {
      return child !== undefined;
    },
    get pid() {
      return pid;
    },
    async start(nodeArgs = []) {
      if (child) throw new Error(`the hub in ${hubDir} is already running`);
      const started = performance.now();
      const c = execa(process.execPath, [...nodeArgs, CLI_ENTRY, '--format', 'json', 'hub', 'serve', '--hub-dir', hubDir], {
        cwd: ROOT,
        env: sb.env,
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        buffer: false,
      });
      child = c;
      exited = c.then(() => undefined);
      try {
        pid = await readyPid(c);
      } catch (e) {
        child = undefined;
        c.kill('SIGKILL');
        await exited;
        throw e;
      }
      return performance.now() - started;
    },
    async stop() {
      const c = child;
      child = undefined;
      pid = undefined;
      if (!c) return;
      c.kill('SIGTERM');
      const killer = setTimeout(() => c.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
    async addAdmin(name, role) {
      const skeyFile = path.join(hubDir, `${name.replace(/\W+/g, '-').toLowerCase()}.skey`);
      const r = await sb.cliOk(['--format', 'json', 'hub', 'admin', 'add', name, '--role', role, '--hub-dir', hubDir, '--skey-file', skeyFile]);
      const added = JSON.parse(r.stdout) as { admin_id: string; name: string; ikey: string; skey_file: string };
      if (child) child.kill('SIGHUP');
      return { admin_id: added.admin_id, name: added.name, ikey: added.ikey, skeyFile: added.skey_file };
    },
  };
  return hub;
}

/** Waits for the JSON line `hub serve --format json` prints once it listens; rejects when it exits first. */
function readyPid(child: ResultPromise): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { pid: number }).pid);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    void child.then((r) => reject(new Error(`hub serve exited ${String(r.exitCode)} before it was ready: ${err.trim()}`)));
  });
}

/** Reads a secret-key file. */
export function readSkey(file: string): string {
  return fs.readFileSync(file, 'utf8').trim();
}
