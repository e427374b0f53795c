/**
 * Measurement 6: an edit by administrator A reaching administrator B's screen. B's daemon serves a live devices
 * view (`view.subscribe`, the first 40 rows in the default order: what B's TUI shows); A renames one of those
 * devices through its daemon (`phones.update`). Per edit: from sending A's request to B's connection receiving
 * the `view.changed` push whose rows show the new name. That path is A's replica → push to the hub → the hub's
 * commit and stream notice → B's pull → B's replica, read model and view → the push to B's client.
 */
import { performance } from 'node:perf_hooks';
import type { ViewUpdate } from '../src/rpc/contract.js';
import type { SyncDaemon } from './sync-daemon.js';
import { sleep } from './wait.js';

export interface EditSample {
  phoneId: string;
  /** A's request sent → B's view shows the edit. */
  ms: number;
  /** A's request sent → A's reply (the edit is in A's replica). */
  localMs: number;
}

export interface EditToScreenOptions {
  edits: number;
  /** Pause after each edit has arrived, before the next. */
  gapMs: number;
  /** How long one edit may take to arrive before the measurement fails. */
  timeoutMs: number;
  /** Rows in B's window. */
  rows?: number;
}

/** Renames devices at A one at a time and times each until B's subscribed view shows it. */
export async function measureEditToScreen(a: SyncDaemon, b: SyncDaemon, options: EditToScreenOptions): Promise<EditSample[]> {
  const sub = await b.rpc.request('view.subscribe', { entity: 'devices', window: { offset: 0, limit: options.rows ?? 40 } });
  const ids = (sub.rows as Array<{ phone_id: string }>).map((r) => r.phone_id);
  if (ids.length === 0) throw new Error("B's devices view is empty: nothing to edit");
  let expected: { id: string; name: string; resolve: (at: number) => void } | undefined;
  const stop = b.rpc.onViewChanged((update: ViewUpdate) => {
    if (update.subscriptionId !== sub.subscriptionId || !expected) return;
    const want = expected;
    if ((update.rows as Array<{ phone_id: string; name: string }>).some((r) => r.phone_id === want.id && r.name === want.name)) {
      expected = undefined;
      want.resolve(performance.now());
    }
  });
  const samples: EditSample[] = [];
  try {
    for (let i = 0; i < options.edits; i++) {
      const id = ids[i % ids.length]!;
      const name = `bench edit ${i + 1} ${Date.now().toString(36)}`;
      let timer: NodeJS.Timeout | undefined;
      const arrival = new Promise<number>((resolve, reject) => {
        expected = { id, name, resolve };
        timer = setTimeout(() => reject(new Error(`edit ${i + 1} (${id} renamed) did not reach B's view within ${options.timeoutMs} ms`)), options.timeoutMs);
      });
      const t0 = performance.now();
      const local = a.rpc.request('phones.update', { phone: id, name }).then(() => performance.now());
      try {
        const [seen, replied] = await Promise.all([arrival, local]);
        samples.push({ phoneId: id, ms: seen - t0, localMs: replied - t0 });
      } finally {
        clearTimeout(timer);
        expected = undefined;
      }
      await sleep(options.gapMs);
    }
  } finally {
    stop();
    await b.rpc.request('view.unsubscribe', { subscriptionId: sub.subscriptionId }).catch(() => undefined);
  }
  return samples;
}
