/** Starting a long-running factordesk process (a daemon, a local hub) that outlives the one starting it. */
import { execa } from 'execa';

/** A process started detached. */
export interface DetachedProcess {
  pid: number | undefined;
  /** Resolves with the exit code if the process ends (it should not, until it is stopped). */
  exited: Promise<number | undefined>;
}

/** Spawns `file args` detached, without stdio and with exactly `env`, so it outlives its parent. */
export function spawnDetached(file: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): DetachedProcess {
  const subprocess = execa(file, args, { detached: true, stdio: 'ignore', cleanup: false, reject: false, env: { ...env }, extendEnv: false });
  subprocess.unref();
  return {
    pid: subprocess.pid,
    exited: subprocess.then(
      (r) => r.exitCode,
      () => undefined,
    ),
  };
}
