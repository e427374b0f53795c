/**
 * Turns what the sync measurements (4–7) recorded into reported metrics and the details behind them.
 */
import type { EditSample } from './edit-to-screen.js';
import type { InitialSyncRun } from './initial-sync.js';
import type { Measured } from './metrics.js';
import type { OfflineFlushRun } from './offline-flush.js';
import { metric } from './results.js';
import { median, round, roundSummary, summarize } from './stats.js';
import type { ThroughputRun } from './hub-throughput.js';

const seconds = (ms: number) => round(ms / 1000);

/** Measurement 4: documents per second of the initial sync (the median run when there are several), against 25k/s. */
export function initialSyncMetrics(runs: InitialSyncRun[]): Measured {
  const rates = runs.map((r) => r.documents / (r.ms / 1000));
  const docs = runs[0]?.documents ?? 0;
  return {
    metrics: [
      metric({
        id: 'initial_sync_docs_per_s',
        measurement: 4,
        name: `initial sync, hub → empty daemon over loopback HTTPS${runs.length > 1 ? ' (median)' : ''}`,
        value: median(rates),
        unit: 'docs/s',
        target: { op: '>=', value: 25_000 },
        note: `${docs} docs in ${runs.map((r) => `${seconds(r.ms)} s`).join(', ')}`,
      }),
    ],
    details: {
      documents: docs,
      runs: runs.map((r) => ({
        daemon: r.daemon,
        seconds: seconds(r.ms),
        docs_per_s: round(r.documents / (r.ms / 1000)),
        collections_complete_s: Object.fromEntries(Object.entries(r.collectionsMs).map(([k, v]) => [k, seconds(v)])),
        daemon_start_command_s: seconds(r.startCommandMs),
        daemon_rss_mb: round(r.rssMb),
        daemon_peak_rss_mb: round(r.peakRssMb),
      })),
    },
  };
}

/** Measurement 5: the hub's return → the last queued edit accepted, against 5 s. */
export function offlineFlushMetrics(run: OfflineFlushRun): Measured {
  return {
    metrics: [
      metric({
        id: 'offline_flush_s',
        measurement: 5,
        name: `offline flush: ${run.edits} edits made while the hub was down, all accepted after its return`,
        value: run.ms / 1000,
        unit: 's',
        target: { op: '<=', value: 5 },
        note: `first accepted after ${seconds(run.firstMs)} s, the last ${seconds(run.flushMs)} s later`,
      }),
    ],
    details: {
      edits: run.edits,
      hub_ready_to_all_accepted_s: seconds(run.ms),
      hub_ready_to_all_pulled_by_a_client_s: seconds(run.seenMs),
      hub_ready_to_first_accepted_s: seconds(run.firstMs),
      first_to_last_accepted_s: seconds(run.flushMs),
      accepted_per_s_while_flushing: run.flushMs > 0 ? round(run.edits / (run.flushMs / 1000)) : null,
      edits_made_in_s: seconds(run.editingMs),
      queued_at_the_daemon_before: run.queuedBefore,
      hub_down_s: seconds(run.hubDownMs),
      hub_start_s: seconds(run.hubStartMs),
    },
  };
}

/** Measurement 6: A's edit → B's subscribed view, p95 against 250 ms. */
export function editToScreenMetrics(samples: EditSample[]): Measured {
  const all = summarize(samples.map((s) => s.ms));
  const local = summarize(samples.map((s) => s.localMs));
  return {
    metrics: [
      metric({
        id: 'edit_to_other_screen_p95',
        measurement: 6,
        name: "edit → other administrator's subscribed view, p95",
        value: all.p95,
        unit: 'ms',
        target: { op: '<=', value: 250 },
        note: `p50 ${round(all.p50)} ms, ${all.n} edits`,
      }),
    ],
    details: {
      edit_to_other_view_ms: roundSummary(all),
      edit_to_own_reply_ms: roundSummary(local),
      slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5).map((s) => ({ phone_id: s.phoneId, ms: round(s.ms) })),
    },
  };
}

/** Measurement 7: accepted rows per second for each setup, and two hubs over one on PostgreSQL. */
export function throughputMetrics(runs: { sqlite?: ThroughputRun; postgres?: ThroughputRun; postgres2?: ThroughputRun }): Measured {
  const metrics = [];
  const note = (r: ThroughputRun) => `${r.daemons} daemons × ${r.rows / r.daemons} new users in ${seconds(r.ms)} s`;
  if (runs.sqlite) {
    metrics.push(
      metric({ id: 'hub_write_throughput_sqlite', measurement: 7, name: `hub write throughput, SQLite, ${runs.sqlite.daemons} daemons pushing at once`, value: runs.sqlite.rowsPerSecond, unit: 'rows/s', target: null, note: note(runs.sqlite) }),
    );
  }
  if (runs.postgres) {
    metrics.push(
      metric({ id: 'hub_write_throughput_postgres', measurement: 7, name: `hub write throughput, PostgreSQL, ${runs.postgres.daemons} daemons pushing at once`, value: runs.postgres.rowsPerSecond, unit: 'rows/s', target: null, note: note(runs.postgres) }),
    );
  }
  if (runs.postgres && runs.postgres2) {
    metrics.push(
      metric({
        id: 'hub_write_throughput_postgres_two_hubs_ratio',
        measurement: 7,
        name: 'two hubs on one PostgreSQL ÷ one hub, write throughput',
        value: runs.postgres2.rowsPerSecond / runs.postgres.rowsPerSecond,
        unit: 'ratio',
        target: null,
        note: `${round(runs.postgres2.rowsPerSecond)} vs ${round(runs.postgres.rowsPerSecond)} rows/s`,
      }),
    );
  }
  const detail = (r: ThroughputRun | undefined) =>
    r && {
      hubs: r.hubs,
      daemons: r.daemons,
      rows: r.rows,
      seconds: seconds(r.ms),
      rows_per_s: round(r.rowsPerSecond),
      reload_to_first_accepted_s: seconds(r.firstMs),
      reload_to_all_pulled_by_a_client_s: seconds(r.seenMs),
      edits_made_in_s: seconds(r.editingMs),
      daemons_settled_after_last_accepted_s: seconds(r.daemonsSettledMs),
      daemon_rss_mb: { median: round(r.daemonRssMb.median), total: round(r.daemonRssMb.total) },
    };
  return { metrics, details: { sqlite: detail(runs.sqlite), postgres: detail(runs.postgres), postgres_two_hubs: detail(runs.postgres2) } };
}
