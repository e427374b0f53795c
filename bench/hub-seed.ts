/**
 * Seeds a hub with the demo data set by writing the documents straight into its store (the store API of
 * daemon/hub/store.ts, compiled), while the hub is stopped: the measurement that follows times only what a
 * daemon does with a full hub, not how the hub got full. Rows go in as the store's compare-and-swap push of new
 * documents, in the generator's order, so the last document of each collection is the last one a pull returns.
 */
import { performance } from 'node:perf_hooks';
import type { DemoData } from '../src/demo/generate.js';
import { importDist } from './dist.js';

/** The collections seeded, in order, with their primary keys. */
export const SEEDED = [
  ['users', 'user_id'],
  ['phones', 'phone_id'],
  ['tokens', 'token_id'],
  ['u2f', 'registration_id'],
  ['admins', 'admin_id'],
] as const;

export type SeededCollection = (typeof SEEDED)[number][0];

export interface SeedResult {
  counts: Record<SeededCollection, number>;
  /** Every seeded id per collection, in commit order (the edits of the measurements pick from these). */
  ids: Record<SeededCollection, string[]>;
  /** The hub's checkpoint after the seed: a pull from it returns only what changed afterwards. */
  checkpoint: { seq: number };
  ms: number;
}

const ROWS_PER_PUSH = 5000;

/** Generates the demo set (`size`, times relative to `now`) and writes it into the store of the hub in `hubDir`. */
export async function seedHub(hubDir: string, size: 'small' | 'enterprise', now: number, owner: { admin_id: string; name: string }): Promise<SeedResult> {
  const [{ generateDemoData }, { readHubConfig, storeUrlOf }, { openStore, pullAll }] = await Promise.all([
    importDist<typeof import('../src/demo/generate.js')>('src/demo/generate.js'),
    importDist<typeof import('../daemon/hub/hub-config.js')>('daemon/hub/hub-config.js'),
    importDist<typeof import('../daemon/hub/store.js')>('daemon/hub/store.js'),
  ]);
  const started = performance.now();
  const data: DemoData = generateDemoData({ size, now });
  const config = readHubConfig(hubDir);
  const store = await openStore(storeUrlOf(config, hubDir));
  const counts = {} as Record<SeededCollection, number>;
  const ids = {} as Record<SeededCollection, string[]>;
  try {
    for (const [collection, key] of SEEDED) {
      const docs = data[collection] as unknown as Record<string, unknown>[];
      for (let i = 0; i < docs.length; i += ROWS_PER_PUSH) {
        const rows = docs.slice(i, i + ROWS_PER_PUSH).map((doc) => ({ newDocumentState: { ...doc, _deleted: false } }));
        const result = await store.push(config.account, collection, rows, { adminId: owner.admin_id, adminName: owner.name, time: now });
        if (result.conflicts.length > 0) throw new Error(`seeding ${collection}: the hub's store already had ${result.conflicts.length} of the documents`);
      }
      counts[collection] = docs.length;
      ids[collection] = docs.map((d) => String(d[key]));
    }
    // Sequence numbers are per account, across collections: the last one written (an administrator) is the top.
    const { checkpoint } = await pullAll(store, config.account, 'admins');
    return { counts, ids, checkpoint, ms: performance.now() - started };
  } finally {
    await store.close();
  }
}
