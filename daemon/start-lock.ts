/**
 * A startup lock: a file created with O_EXCL so that of several processes racing to start one thing (a daemon, a
 * local hub) only one does. A lock whose holder looks gone is removed and taken over.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A held startup lock. */
export interface StartLock {
  /** Keeps the lock from looking stale while a slow start goes on. */
  refresh(): void;
  release(): void;
}

/**
 * Takes the lock, or returns undefined when another live caller holds it. The lock counts as stale when it was not
 * refreshed for `staleMs`, or when `holderGone(pid)` says the process that wrote it is gone.
 */
export function tryAcquireStartLock(
  file: string,
  staleMs = 5000,
  holderGone: (pid: number) => boolean = () => false,
): StartLock | undefined {
  const token = randomUUID();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid} ${token}\n`, { flag: 'wx', mode: 0o600 });
      return {
        refresh: () => {
          const now = new Date();
          try {
            fs.utimesSync(file, now, now);
          } catch {
            // removed as stale by another caller: it simply makes its own attempt
          }
        },
        release: () => {
          try {
            if (fs.readFileSync(file, 'utf8').includes(token)) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!isStale(file, staleMs, holderGone)) return undefined;
      try {
        fs.unlinkSync(file);
      } catch {
        // another caller removed it first; the retry decides who gets it
      }
    }
  }
  return undefined;
}

function isStale(file: string, staleMs: number, holderGone: (pid: number) => boolean): boolean {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > staleMs) return true;
    const [pid] = fs.readFileSync(file, 'utf8').split(' ');
    return holderGone(Number(pid));
  } catch {
    return true;
  }
}
