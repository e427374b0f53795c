/**
 * The bench's own signed client of a hub (the daemon's compiled HubClient, certificate pinned): it decides when
 * the hub has *accepted* a set of changes by pulling what was committed since a checkpoint, as any other daemon
 * would, so "accepted" means committed and served by the hub, whatever the pushing daemon believes.
 */
import { performance } from 'node:perf_hooks';
import type { HubClient } from '../daemon/hub-client.js';
import type { Checkpoint, SyncedCollection } from '../src/sync/protocol.js';
import { importDist } from './dist.js';
import { readSkey, type BenchHub, type HubCredential } from './hub-process.js';
import { sleep } from './wait.js';

const PAGE = 2000;

/** A signed client of `hub` acting as `credential`. */
export async function observerOf(hub: BenchHub, credential: HubCredential): Promise<HubClient> {
  const { HubClient: Client } = await importDist<typeof import('../daemon/hub-client.js')>('daemon/hub-client.js');
  return new Client({ url: hub.url, ikey: credential.ikey, skey: readSkey(credential.skeyFile), fingerprint: hub.fingerprint }, { timeoutMs: 60_000 });
}

/** Pulls `collection` from `from` until a page comes back short; returns the checkpoint reached and the documents. */
export async function catchUp(
  client: HubClient,
  collection: SyncedCollection,
  from: Checkpoint | null,
): Promise<{ checkpoint: Checkpoint | null; documents: Record<string, unknown>[] }> {
  let checkpoint = from;
  const documents: Record<string, unknown>[] = [];
  for (;;) {
    const page = await client.pull(collection, checkpoint, PAGE);
    documents.push(...(page.documents as unknown as Record<string, unknown>[]));
    checkpoint = page.checkpoint ?? checkpoint;
    if (page.documents.length < PAGE) return { checkpoint, documents };
  }
}

export interface Acceptance {
  /** performance.now() when the first expected change was seen at the hub. */
  firstAt: number;
  /** performance.now() when the last one was. */
  lastAt: number;
  /** Documents pulled while watching. */
  pulled: number;
}

/**
 * Pulls `collection` from `from` (every `intervalMs` when there is nothing new) until `keyOf` has returned every
 * key of `expected` (it returns the key a pulled document satisfies, or undefined). Fails after `timeoutMs`.
 */
export async function awaitAccepted(
  client: HubClient,
  collection: SyncedCollection,
  from: Checkpoint | null,
  expected: ReadonlySet<string>,
  keyOf: (doc: Record<string, unknown>) => string | undefined,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<Acceptance> {
  const missing = new Set(expected);
  const deadline = performance.now() + options.timeoutMs;
  let checkpoint = from;
  let firstAt: number | undefined;
  let pulled = 0;
  let lastError: unknown;
  while (missing.size > 0) {
    if (performance.now() > deadline) {
      throw new Error(
        `the hub accepted ${expected.size - missing.size} of ${expected.size} ${collection} changes within ${options.timeoutMs / 1000} s` +
          (lastError ? ` (last pull error: ${String(lastError)})` : ''),
      );
    }
    let page;
    try {
      page = await client.pull(collection, checkpoint, PAGE);
    } catch (e) {
      // The hub may be starting: keep asking.
      lastError = e;
      await sleep(options.intervalMs ?? 50);
      continue;
    }
    const at = performance.now();
    pulled += page.documents.length;
    for (const doc of page.documents as unknown as Record<string, unknown>[]) {
      const key = keyOf(doc);
      if (key !== undefined && missing.delete(key)) firstAt ??= at;
    }
    checkpoint = page.checkpoint ?? checkpoint;
    if (missing.size === 0) return { firstAt: firstAt ?? at, lastAt: at, pulled };
    if (page.documents.length < PAGE) await sleep(options.intervalMs ?? 50);
  }
  const now = performance.now();
  return { firstAt: firstAt ?? now, lastAt: now, pulled };
}

export interface CommitTimes {
  /** Epoch ms of the first and last audit event found, and how many there were. */
  first: number;
  last: number;
  count: number;
}

/**
 * When the hub accepted changes, by its own clock: the audit events it stored with them (same transaction), of
 * `entity` (a collection name) and, when given, of those ids, at or after `since` (epoch ms). Pulls the audit
 * collection from `from`.
 */
export async function commitTimes(
  client: HubClient,
  from: Checkpoint | null,
  entity: string,
  since: number,
  ids?: ReadonlySet<string>,
): Promise<CommitTimes> {
  const { documents } = await catchUp(client, 'audit', from);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (const doc of documents) {
    const time = Number(doc['time']);
    if (doc['entity'] !== entity || time < since || (ids && !ids.has(String(doc['entity_id'])))) continue;
    first = Math.min(first, time);
    last = Math.max(last, time);
    count++;
  }
  return { first, last, count };
}
