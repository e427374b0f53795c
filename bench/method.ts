/** How each figure is taken, in sentences: written into results.json so that a reader of the numbers has the method. */
import { PHRASES } from './keystrokes.js';
import type { SyncScale } from './sync-bench.js';

/** The method, for the run's terminal size, pause between keys and the scale of the sync measurements. */
export function methodText(terminal: { columns: number; rows: number }, gapMs: number, scale: SyncScale): string[] {
  const phrases = PHRASES.map((p) => `"${p}"`).join(', ');
  return [
    'All processes are the compiled build (dist/, rebuilt when older than the sources) in a temporary data ' +
      'directory and runtime directory, NODE_ENV=production, FACTORDESK_NO_LOCAL_HUB=1 (no hub); the data set is ' +
      'loaded once with `factordesk demo load --size SIZE` (the deterministic demo generator).',
    '1. The TUI (tui/root.tsx App, compiled, React production build) runs in its own process, rendered by Ink with ' +
      `start.tsx's options and compositor (incremental rendering, at most 60 frames/s; tui/ink-output.ts) into an in-memory ${terminal.columns}×${terminal.rows} ` +
      'terminal, connected to the running daemon over its socket. Once the devices list and the status counts are ' +
      `shown (and 0.5 s more), it opens the devices filter and types each of ${phrases} a key at a time, erasing ` +
      'each with Backspace. Per key: the time from writing the key to the terminal receiving the frame that shows ' +
      `the new match count (or the refusal of an incomplete filter such as "platform:"); the next key follows ${gapMs} ms ` +
      'after that frame.',
    "2. fzf (Debian's package; its version is in details.fzf) runs `fzf --filter QUERY --exact -i` once per " +
      'keystroke over the same devices exported as text lines (one per device, tab-separated: name, number, ' +
      "extension, platform, os, version, model, type, id, usernames: the fields the daemon's free text searches). " +
      'Only keys whose filter is free text are compared (fzf has no key:value terms); with --exact and -i fzf reads ' +
      'them as the daemon does (words, case-insensitive substrings, all required), and the match counts are checked ' +
      "equal. fzf's time includes starting the process and reading the lines, as `--filter` does on every call; " +
      'ours is the keystroke-to-frame time of measurement 1.',
    '3. With the data loaded and the daemon stopped: the time of `factordesk daemon start` (it spawns the daemon and ' +
      'waits until it answers) plus connecting and the first `view.query` of the devices; VmRSS of the daemon right ' +
      'after. The median of the runs is reported. When `daemon start` gives up on the handshake (the CLI waits 5 s ' +
      'for an answer) the bench keeps waiting for the first view and records the failure in details.cold_start.',
    'Measurements 4–6 share one hub: `factordesk hub init --self-signed` on a loopback port, `hub serve` as its own ' +
      `process (SQLite store), seeded while stopped with the ${scale.size} demo set (users, devices, tokens, U2F, ` +
      'administrators) written straight into its store with the store API, in the generator\'s order. Administrator ' +
      'A is the Owner, B an Administrator added with `hub admin add`; each has a daemon in its own empty data ' +
      'directory, logged in with the same function `factordesk login` runs (certificate pinned) before `daemon start`. ' +
      'The bench asks `sync.status` on a connection of its own each time (asking subscribes a connection to status ' +
      "pushes, as the TUI's status line does), so no daemon of 4–7 has a status subscriber.",
    "4. Daemon A, empty: from the daemon opening its service (its handshake's startedAt) until the last seeded " +
      'document of each collection is answerable over its RPC (`users.get`/`phones.get`/`tokens.get` of the last id; ' +
      "the U2F and administrator lists' totals), polled every 50 ms; documents per second over the seeded documents. " +
      "B's replica is then a copy of A's (A stopped, files copied, B logged in with its own key), which saves a " +
      'second full pull; both daemons are started again before 6 and 5.',
    `6. B subscribes to its devices view (\`view.subscribe\`, first 40 rows, default order); A renames one of those ` +
      `devices (\`phones.update\` over A's RPC), ${scale.screenEdits} times, one at a time, 100 ms apart. Per edit: ` +
      "A's request sent → B's connection receives the `view.changed` push whose rows show the new name.",
    `5. With A and B online and settled, the hub stops (SIGTERM); A renames ${scale.offlineEdits} devices (at most 8 ` +
      'requests in flight; A queues them); the hub starts again. The bench\'s own signed client (the daemon\'s ' +
      'HubClient) pulls until it has every edit; the figure is from the hub\'s ready line to the last edit accepted, by ' +
      'the audit events the hub commits with each edit (its clock). A is not nudged: its reconnect backoff (capped at ' +
      '10 s) is part of the figure, and the time to the first accepted edit is reported beside it.',
    `7. Fresh hubs per setup and ${scale.throughputDaemons} real daemons (each its own process and data directory), all ` +
      'logged in with the Owner\'s credential; on PostgreSQL once with one hub and once with two `hub serve` processes ' +
      'on one database (daemons split between them). With all online and settled, the hubs stop, every daemon adds ' +
      `${scale.throughputEditsPerDaemon} users (queued), the hubs start, and every daemon is sent \`sync.reload\` at once ` +
      "(so they push together, not at their backoff's next try). The bench's signed client pulls until it has every new " +
      "user; the figure is from the first hub's ready line (the reloads go out once all are ready) to the last user accepted, by the hub's audit times (a client's pulls lag " +
      'the commits when the hub is saturated): rows accepted per second, each checked against the role, ' +
      'compare-and-swapped, audited, and fanned out to the other daemons, which pull it. PostgreSQL: FACTORDESK_BENCH_PG_URL or ' +
      'FACTORDESK_TEST_PG_URL or scripts/test-postgres.sh\'s cluster, a fresh database per setup; skipped when none is reachable.',
  ];
}
