/**
 * What a bench run reports: metrics that have a target (value, unit, target, whether it holds), the issue's
 * measurements not taken yet, details behind each figure, and the method. Written to bench/results.json and
 * printed as a table.
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
  target: Target;
  holds: boolean;
  /** Context printed next to the value (e.g. the p50 beside a p95). */
  note?: string;
}

/** A measurement of the issue the harness has a slot for but does not take yet. */
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
}

/** A metric with `holds` computed from its target. */
export function metric(fields: Omit<Metric, 'holds'>): Metric {
  const holds = fields.target.op === '<=' ? fields.value <= fields.target.value : fields.value >= fields.target.value;
  return { ...fields, value: round(fields.value), holds: Number.isFinite(fields.value) && holds };
}

/** "≤ 16 ms", "≥ 25000 docs/s", "≤ 1" for a bare ratio. */
export function targetText(target: Target, unit: string): string {
  const op = target.op === '<=' ? '≤' : '≥';
  return unit === 'ratio' || unit === '' ? `${op} ${target.value}` : `${op} ${target.value} ${unit}`;
}

function valueText(m: Metric): string {
  const v = m.unit === 'ratio' || m.unit === '' ? `${m.value}` : `${m.value} ${m.unit}`;
  return m.note ? `${v} (${m.note})` : v;
}

/** The readable table: one line per metric and per measurement not taken yet, columns padded. */
export function formatTable(results: Pick<BenchResults, 'metrics' | 'not_measured' | 'skipped'>): string {
  const rows: string[][] = [['#', 'measurement', 'value', 'target', 'holds']];
  const lines = [
    ...results.metrics.map((m) => ({ n: m.measurement, row: [String(m.measurement), m.name, valueText(m), targetText(m.target, m.unit), m.holds ? 'yes' : 'NO'] })),
    ...results.not_measured.map((p) => ({ n: p.measurement, row: [String(p.measurement), p.name, `not measured yet: ${p.reason}`, p.target, '–'] })),
  ].sort((a, b) => a.n - b.n);
  rows.push(...lines.map((l) => l.row));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [fmt(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)];
  for (const s of results.skipped) out.push(`skipped: ${s}`);
  return out.join('\n');
}

/** The same table as Markdown, for the README's performance section. */
export function formatMarkdown(results: Pick<BenchResults, 'metrics' | 'not_measured'>): string {
  const out = ['| # | measurement | value | target | holds |', '|---|---|---|---|---|'];
  const lines = [
    ...results.metrics.map((m) => ({ n: m.measurement, row: [String(m.measurement), m.name, valueText(m), targetText(m.target, m.unit), m.holds ? 'yes' : '**no**'] })),
    ...results.not_measured.map((p) => ({ n: p.measurement, row: [String(p.measurement), p.name, `not measured yet: ${p.reason}`, p.target, '–'] })),
  ].sort((a, b) => a.n - b.n);
  for (const l of lines) out.push(`| ${l.row.join(' | ')} |`);
  return out.join('\n');
}
