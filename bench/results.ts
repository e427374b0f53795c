/**
 * What a bench run reports: metrics (value, unit, target or none, whether it holds), the measurements that could
 * not be taken (with why) or failed (with the error), details behind each figure, and the method. Written to
 * bench/results.json and printed as a table.
 */
import type { MachineInfo } from './machine.js';
import { round } from './stats.js';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Metric {
  id: string;
  /** The measurement's number in issue 6 (1–7). */
  measurement: number;
  name: string;
  value: number;
  unit: string;
  /** null: a figure reported without a target. */
  target: Target | null;
  /** null when there is no target. */
  holds: boolean | null;
  /** Context printed next to the value (e.g. the p50 beside a p95). */
  note?: string;
}

/** A figure that could not be taken on this machine (e.g. no PostgreSQL), with why. */
export interface NotMeasured {
  measurement: number;
  name: string;
  target: string;
  reason: string;
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  machine: MachineInfo;
  dataset: Record<string, number | string>;
  metrics: Metric[];
  not_measured: NotMeasured[];
  /** Per measurement: the samples' summaries and breakdowns behind the metrics. */
  details: Record<string, unknown>;
  /** How each figure was taken, in sentences. */
  method: string[];
  /** Measurements that could not be taken (e.g. fzf missing), with why. */
  skipped: string[];
  /** Measurements that broke (the run exits non-zero when there is any). */
  failures: Failure[];
}

/** A measurement that threw instead of producing its figures. */
export interface Failure {
  measurement: number;
  name: string;
  error: string;
}

/** A metric with `holds` computed from its target (null without one). */
export function metric(fields: Omit<Metric, 'holds'>): Metric {
  const target = fields.target;
  if (target === null) return { ...fields, value: round(fields.value), holds: null };
  const holds = target.op === '<=' ? fields.value <= target.value : fields.value >= target.value;
  return { ...fields, value: round(fields.value), holds: Number.isFinite(fields.value) && holds };
}

/** "≤ 16 ms", "≥ 25000 docs/s", "≤ 1" for a bare ratio, "none (reported)" without a target. */
export function targetText(target: Target | null, unit: string): string {
  if (target === null) return 'none (reported)';
  const op = target.op === '<=' ? '≤' : '≥';
  return unit === 'ratio' || unit === '' ? `${op} ${target.value}` : `${op} ${target.value} ${unit}`;
}

function valueText(m: Metric): string {
  const v = m.unit === 'ratio' || m.unit === '' ? `${m.value}` : `${m.value} ${m.unit}`;
  return m.note ? `${v} (${m.note})` : v;
}

const holdsText = (holds: boolean | null, no: string) => (holds === null ? '–' : holds ? 'yes' : no);

type TableInput = Pick<BenchResults, 'metrics' | 'not_measured'> & Partial<Pick<BenchResults, 'failures'>>;

/** Rows of the table, in measurement order: metrics, figures not taken, failed measurements. */
function tableRows(results: TableInput, no: string): string[][] {
  return [
    ...results.metrics.map((m) => ({ n: m.measurement, row: [String(m.measurement), m.name, valueText(m), targetText(m.target, m.unit), holdsText(m.holds, no)] })),
    ...results.not_measured.map((p) => ({ n: p.measurement, row: [String(p.measurement), p.name, p.reason, p.target, '–'] })),
    ...(results.failures ?? []).map((f) => ({ n: f.measurement, row: [String(f.measurement), f.name, `FAILED: ${f.error.split('\n')[0]!.slice(0, 160)}`, '', '–'] })),
  ]
    .sort((a, b) => a.n - b.n)
    .map((l) => l.row);
}

/** The readable table: one line per metric, per figure not taken and per failed measurement, columns padded. */
export function formatTable(results: TableInput & Pick<BenchResults, 'skipped'>): string {
  const rows: string[][] = [['#', 'measurement', 'value', 'target', 'holds']];
  rows.push(...tableRows(results, 'NO'));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [fmt(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)];
  for (const s of results.skipped) out.push(`skipped: ${s}`);
  return out.join('\n');
}

/** The same table as Markdown, for the README's performance section. */
export function formatMarkdown(results: TableInput): string {
  const out = ['| # | measurement | value | target | holds |', '|---|---|---|---|---|'];
  for (const row of tableRows(results, '**no**')) out.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return out.join('\n');
}
