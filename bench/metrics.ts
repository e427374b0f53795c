/**
 * Turns what the measurements recorded into the reported metrics (value, unit, target, holds) and the details
 * behind them (summaries, breakdowns, the slowest keys, the match-count check against fzf).
 */
import type { ColdStartRun } from './cold-start.js';
import type { FzfRun } from './fzf.js';
import { metric, type Metric } from './results.js';
import { median, round, roundSummary, summarize } from './stats.js';
import type { DriverOutput, KeyRecord } from './tui-driver.js';

export interface Measured {
  metrics: Metric[];
  details: Record<string, unknown>;
}

const pick = (keys: KeyRecord[], field: keyof Pick<KeyRecord, 'ms' | 'echoMs' | 'sentMs' | 'rpcMs' | 'afterReplyMs'>) => roundSummary(summarize(keys.map((k) => k[field])));

/** Measurement 1: keystroke to frame, p95 against 16 ms, with the breakdown of where a key's time goes. */
export function keystrokeMetrics(tui: DriverOutput, terminal: { columns: number; rows: number }): Measured {
  const all = summarize(tui.keys.map((k) => k.ms));
  const first = tui.keys.filter((k, i) => k.kind === 'type' && (i === 0 || tui.keys[i - 1]!.filter === ''));
  return {
    metrics: [
      metric({
        id: 'tui_keystroke_to_frame_p95',
        measurement: 1,
        name: 'TUI keystroke → frame with the new match count, p95',
        value: all.p95,
        unit: 'ms',
        target: { op: '<=', value: 16 },
        note: `p50 ${round(all.p50)} ms, ${all.n} keys`,
      }),
    ],
    details: {
      terminal: `${terminal.columns}×${terminal.rows}`,
      keys: tui.keys.length,
      errors: tui.keys.filter((k) => k.error !== undefined).length,
      keystroke_to_frame_ms: pick(tui.keys, 'ms'),
      by_kind_ms: {
        first_character: roundSummary(summarize(first.map((k) => k.ms))),
        typed: roundSummary(summarize(tui.keys.filter((k) => k.kind === 'type').map((k) => k.ms))),
        backspace: roundSummary(summarize(tui.keys.filter((k) => k.kind === 'backspace').map((k) => k.ms))),
      },
      breakdown_ms: {
        key_to_typed_text_on_screen: pick(tui.keys, 'echoMs'),
        key_to_view_request_sent: pick(tui.keys, 'sentMs'),
        view_request_round_trip: pick(tui.keys, 'rpcMs'),
        reply_to_frame: pick(tui.keys, 'afterReplyMs'),
        ink_render_per_frame: roundSummary(summarize(tui.inkRenderMs)),
      },
      frames_written: tui.frames,
      tui_rss_mb: round(tui.tuiRssMb),
      slowest_keys: [...tui.keys]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((k) => ({ filter: k.filter, ms: round(k.ms), rpc_ms: round(k.rpcMs), total: k.total ?? k.error })),
    },
  };
}

/** Measurement 2: our keystroke-to-frame time over fzf's per-keystroke time on the same free-text filters. */
export function fzfMetrics(keys: KeyRecord[], runs: FzfRun[], version: string): Measured {
  const ours = summarize(keys.map((k) => k.ms));
  const oursFilter = summarize(keys.map((k) => k.rpcMs));
  const theirs = summarize(runs.map((r) => r.ms));
  const mismatches = keys
    .map((k, i) => ({ filter: k.filter, ours: k.total, fzf: runs[i]!.matches }))
    .filter((m) => m.ours !== m.fzf);
  const perKey = keys.map((k, i) => k.ms / runs[i]!.ms);
  return {
    metrics: [
      metric({
        id: 'tui_vs_fzf_ratio',
        measurement: 2,
        name: 'TUI per keystroke ÷ fzf --filter per keystroke (p50)',
        value: ours.p50 / theirs.p50,
        unit: 'ratio',
        target: { op: '<=', value: 1 },
        note: `ours ${round(ours.p50)} ms, fzf ${round(theirs.p50)} ms, ${keys.length} free-text keys`,
      }),
    ],
    details: {
      fzf: version,
      keys: keys.length,
      ours_keystroke_to_frame_ms: roundSummary(ours),
      ours_daemon_round_trip_ms: roundSummary(oursFilter),
      fzf_per_keystroke_ms: roundSummary(theirs),
      ratio_p50: round(ours.p50 / theirs.p50),
      ratio_p95: round(ours.p95 / theirs.p95),
      ratio_per_key_median: round(median(perKey)),
      daemon_round_trip_ratio_p50: round(oursFilter.p50 / theirs.p50),
      same_match_counts: mismatches.length === 0,
      count_mismatches: mismatches.slice(0, 10),
    },
  };
}

/** Measurement 3: median time to the first view and median RSS over the cold starts. */
export function coldStartMetrics(runs: ColdStartRun[]): Measured {
  const total = median(runs.map((r) => r.totalMs)) / 1000;
  const rss = median(runs.map((r) => r.rssMb));
  const list = (f: (r: ColdStartRun) => number, digits = 1) => runs.map((r) => Math.round(f(r) * 10 ** digits) / 10 ** digits).join(', ');
  return {
    metrics: [
      metric({
        id: 'daemon_cold_start_to_first_view',
        measurement: 3,
        name: 'daemon cold start → first devices view served (median)',
        value: total,
        unit: 's',
        target: { op: '<=', value: 2 },
        note: `runs: ${list((r) => r.totalMs / 1000, 2)} s`,
      }),
      metric({
        id: 'daemon_rss_after_load',
        measurement: 3,
        name: 'daemon RSS after the cold start (median)',
        value: rss,
        unit: 'MB',
        target: { op: '<=', value: 400 },
        note: `peak ${round(median(runs.map((r) => r.peakRssMb)))} MB`,
      }),
    ],
    details: {
      runs: runs.map((r) => ({
        total_ms: round(r.totalMs),
        daemon_start_command_ms: round(r.startCommandMs),
        ...(r.startCommandError !== undefined ? { daemon_start_command_failed: r.startCommandError } : {}),
        hello_ms: round(r.helloMs),
        first_view_ms: round(r.firstViewMs),
        devices: r.devices,
        rss_mb: round(r.rssMb),
        peak_rss_mb: round(r.peakRssMb),
      })),
    },
  };
}

