/** Whether a process still exists, for waiting on daemons and hubs to exit and for spotting stale pid records. */

/** True when a process with this pid exists (also one we may not signal). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
