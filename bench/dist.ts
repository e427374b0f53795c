/**
 * The compiled build the bench runs (closest to what users install): where it is, whether it is older than the
 * sources, and typed imports of its modules (typed from the sources they were compiled from).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
/** The installed `factordesk` executable's entry. */
export const CLI_ENTRY = path.join(DIST, 'tui', 'cli', 'main.js');

const SOURCE_DIRS = ['src', 'daemon', 'tui'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) of the compiled sources and build configuration. */
export function newestSourceMtime(root = ROOT): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(root, d))) visit(path.join(root, d));
  for (const f of SOURCE_FILES) if (fs.existsSync(path.join(root, f))) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is current. */
export function staleReason(root = ROOT): string | null {
  const entry = path.join(root, 'dist', 'tui', 'cli', 'main.js');
  if (!fs.existsSync(entry)) return 'dist/ is missing';
  return newestSourceMtime(root) > fs.statSync(entry).mtimeMs ? 'sources changed since the last build' : null;
}

/**
 * Runs `npm run build` when dist/ is missing or stale; throws with tsc's output when the build fails. Type errors
 * alone (tsc still writes the JavaScript: exit 2 with every file emitted) are logged, not fatal: the code measured
 * is the same, and CI's type check fails on them anyway.
 */
export async function ensureBuild(log: (line: string) => void): Promise<'current' | 'built'> {
  const reason = staleReason();
  if (reason === null) return 'current';
  log(`building (${reason}): npm run build`);
  const r = await execa('npm', ['run', 'build'], { cwd: ROOT, reject: false, all: true });
  if (r.exitCode === 0) return 'built';
  const output = r.all ?? '';
  if (r.exitCode === 2 && /error TS\d+/.test(output) && fs.existsSync(CLI_ENTRY)) {
    log(`warning: type errors in the sources; measuring the JavaScript tsc emitted anyway:\n${output.split('\n').filter((l) => /error TS/.test(l)).slice(0, 10).join('\n')}`);
    return 'built';
  }
  throw new Error(`npm run build failed (exit ${String(r.exitCode)}):\n${output}`);
}

/** Imports a compiled module, e.g. `importDist<typeof import('../tui/rpc-client.js')>('tui/rpc-client.js')`. */
export async function importDist<M>(relative: string): Promise<M> {
  return (await import(pathToFileURL(path.join(DIST, relative)).href)) as M;
}
