/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per package, so the bench can say
 * which code bounds a missed target. Usage: tsx bench/profile-summary.ts FILE.cpuprofile [top]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Time on the CPU (samples other than idle). */
  busyMs: number;
  idleMs: number;
  /** Self time by function (name and file:line). */
  functions: SelfTime[];
  /** Self time by package (node_modules/NAME), project folder, or V8/Node internals. */
  packages: SelfTime[];
  /**
   * The project's own functions (compiled dist/) by inclusive time: what each call path costs in all. GC is a
   * separate root in V8 profiles, so it is not in these figures.
   */
  project: SelfTime[];
}

function where(url: string): string {
  if (!url) return '(native)';
  const p = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (p.startsWith('node:')) return 'node';
  const dist = p.indexOf('/dist/');
  if (dist >= 0) return `factordesk ${p.slice(dist + 6).split('/')[0]}/`;
  return path.basename(path.dirname(p));
}

function fileLine(url: string, line: number): string {
  if (!url) return '';
  const p = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf('node_modules/');
  const short = nm >= 0 ? p.slice(nm + 'node_modules/'.length) : p.includes('/dist/') ? p.slice(p.indexOf('/dist/') + 1) : path.basename(p);
  return `${short}:${line + 1}`;
}

/**
 * Samples taken between two instants of the system's monotonic clock, in µs: V8 stamps samples with it, and
 * `process.hrtime` of any process on the machine reads the same clock, so a window can be marked from outside.
 */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/** The monotonic clock in µs, as profile samples are stamped. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Self time per function and per package, largest first (idle left out); only samples in `window` if given. */
export function summarizeProfile(profile: CpuProfile, top = 15, window?: TimeWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  const project = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const name = `${functionName || '(anonymous)'} ${fileLine(url, lineNumber)}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + us);
    const pkg = functionName.startsWith('(') && !url ? functionName : where(url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    total += us;
    // Each project function on this node's stack, once (recursion counts once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || !frame.url.includes('/dist/') || frame.url.includes('/node_modules/')) continue;
      const key = `${frame.functionName || '(anonymous)'} ${fileLine(frame.url, frame.lineNumber)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      project.set(key, (project.get(key) ?? 0) + us);
    }
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: Math.round((us / total) * 1000) / 10 }));
  return { busyMs: Math.round(total / 1000), idleMs: Math.round(idle / 1000), functions: rank(fns), packages: rank(pkgs), project: rank(project) };
}

/** Reads and summarises a .cpuprofile file. */
export function summarizeProfileFile(file: string, top = 15, window?: TimeWindow): ProfileSummary {
  return summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, top, window);
}

/** The profiles a process tree wrote into `dir` (`--cpu-prof-dir`), largest first (the main thread's). */
export function profilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
}

/** The summary as text lines. */
export function formatProfileSummary(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.busyMs} ms on the CPU (${s.idleMs} ms idle); shares of the CPU time`, '  by package (self time):'];
  for (const p of s.packages) lines.push(`    ${String(p.share).padStart(5)}%  ${String(p.ms).padStart(8)} ms  ${p.name}`);
  lines.push('  by function (self time):');
  for (const f of s.functions) lines.push(`    ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  if (s.project.length > 0) lines.push('  factordesk functions (inclusive time):');
  for (const f of s.project) lines.push(`    ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(8)} ms  ${f.name}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(path.basename(file), summarizeProfileFile(file, Number(top ?? 25)))}\n`);
}
