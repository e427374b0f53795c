import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src/rpc/contract.js';
import { SyncWatch } from '../../../tui/state/sync-watch.js';
import { newRefusals } from '../../../tui/state/session-slice.js';
import { FakeDaemon } from '../helpers/fake-daemon.js';

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition never met');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SyncWatch', () => {
  it('asks once, then takes every push of a client that has them', async () => {
    const d = new FakeDaemon();
    const seen: SyncStatus[] = [];
    const watch = new SyncWatch(d, { onStatus: (s) => seen.push(s), onError: () => undefined }, 10);
    watch.start();
    await until(() => seen.length === 1);
    d.pushSync({ state: 'online', hub: 'https://hub.example:8443', queued: 2 });
    expect(seen.at(-1)).toMatchObject({ state: 'online', queued: 2 });
    await new Promise((r) => setTimeout(r, 50));
    expect(d.sent('sync.status')).toHaveLength(1);
    watch.close();
    d.pushSync({ queued: 3 });
    expect(seen).toHaveLength(2);
  });

  it('asks again and again when the client cannot receive pushes, and after a failure', async () => {
    const d = new FakeDaemon({ pushes: false });
    let fail = true;
    d.on('sync.status', () => {
      if (fail) {
        fail = false;
        throw new Error('busy');
      }
      return d.syncStatus;
    });
    const seen: SyncStatus[] = [];
    const errors: unknown[] = [];
    const watch = new SyncWatch(d, { onStatus: (s) => seen.push(s), onError: (e) => errors.push(e) }, 10);
    watch.start();
    await until(() => seen.length >= 1);
    expect(errors).toHaveLength(1);
    d.syncStatus = { ...d.syncStatus, state: 'offline', hub: 'https://hub.example:8443', queued: 4 };
    await until(() => seen.at(-1)?.queued === 4);
    watch.close();
    const asked = d.sent('sync.status').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(d.sent('sync.status')).toHaveLength(asked);
  });
});

describe('newRefusals', () => {
  it('keeps the refusals not seen before and not older than the session', () => {
    const a = { collection: 'phones', id: 'P1', code: 'FORBIDDEN' as const, reason: 'no', time: 100 };
    const b = { ...a, id: 'P2', time: 200 };
    const old = { ...a, id: 'P0', time: 10 };
    expect(newRefusals([a], [b, a, old], 50)).toEqual([b]);
  });
});
