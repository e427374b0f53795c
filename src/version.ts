/** The package version, read from package.json next to the sources or the compiled dist/ tree. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Returns the version in package.json (found by walking up from this module). */
export function packageVersion(): string {
  if (cached) return cached;
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'factordesk' && pkg.version) return (cached = pkg.version);
    } catch {
      // not at this level; try the next one up
    }
  }
  return (cached = '0.0.0');
}
