/**
 * The measurements 4–7: they need the hub and sync (being built). Each is a slot with its target so
 * that adding one is: write its module, call it from run.ts, and drop its entry here.
 */
import type { NotMeasured } from './results.js';

const NEEDS_HUB = 'needs the hub';

/** The measurements not taken yet, with their targets from issue 6. */
export const NOT_MEASURED_YET: readonly NotMeasured[] = [
  { measurement: 4, name: 'initial sync, hub → empty daemon (loopback HTTPS)', target: '≥ 25000 docs/s', reason: NEEDS_HUB },
  { measurement: 5, name: 'offline flush: 10k queued edits accepted after the hub returns', target: '≤ 5 s', reason: NEEDS_HUB },
  { measurement: 6, name: "edit → other administrator's screen, p95", target: '≤ 250 ms', reason: NEEDS_HUB },
  {
    measurement: 7,
    name: 'hub write throughput, 20 daemons (SQLite, PostgreSQL; 2 hubs ÷ 1 hub)',
    target: 'reported (no fixed target)',
    reason: NEEDS_HUB,
  },
];
