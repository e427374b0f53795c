/**
 * fzf as the yardstick of measurement 2: `fzf --filter QUERY --exact -i` over the device lines, one process per
 * keystroke (that is what `--filter` is: read every line, match, print, exit). With --exact and -i, fzf reads a
 * query as the daemon reads free text: space-separated words, each a case-insensitive substring, all required.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface FzfRun {
  query: string;
  ms: number;
  matches: number;
}

/** fzf's version line, or null when fzf is not installed. */
export function fzfVersion(): string | null {
  const r = spawnSync('fzf', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** One `fzf --filter` run over the file: wall time from spawn to exit, and how many lines matched. */
export function runFzf(linesFile: string, query: string): FzfRun {
  const fd = fs.openSync(linesFile, 'r');
  try {
    const started = performance.now();
    const r = spawnSync('fzf', ['--filter', query, '--exact', '-i'], { stdio: [fd, 'pipe', 'pipe'], maxBuffer: 512 * 2 ** 20 });
    const ms = performance.now() - started;
    // fzf exits 1 when nothing matches; 2 is an error.
    if (r.status !== 0 && r.status !== 1) throw new Error(`fzf --filter ${JSON.stringify(query)} failed (${String(r.status)}): ${r.stderr.toString()}`);
    const out = r.stdout.toString();
    return { query, ms, matches: out === '' ? 0 : out.split('\n').length - (out.endsWith('\n') ? 1 : 0) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs every query in order (once each, after one unmeasured run that warms the page cache). */
export function measureFzf(linesFile: string, queries: readonly string[]): FzfRun[] {
  if (queries.length > 0) runFzf(linesFile, queries[0]!);
  return queries.map((q) => runFzf(linesFile, q));
}
