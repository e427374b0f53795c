/**
 * A full garbage collection on demand. Loading the replica and building the search indexes leave a few
 * hundred megabytes of garbage at 245k documents; left to V8, it is marked incrementally while the first
 * client types, in steps of up to 16 ms between keystrokes (two major collections with 600 ms of marking
 * steps fell inside the bench's typing). Collecting once, before the daemon serves, moves that to startup.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Collects all garbage now; false when this V8 does not allow it. */
export function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      // Node exposes gc() only with --expose-gc; the flag applies to contexts created after it is set.
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  if (!gc) return false;
  gc();
  return true;
}
