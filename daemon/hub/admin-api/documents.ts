/**
 * What the Admin API reads: the replicated documents of the hub's store. Lists (and the relations inside Duo's
 * objects: a phone's users, a user's phones and tokens) come from an in-memory copy of each collection, brought
 * up to date before every read by pulling what was committed since its checkpoint (usually nothing), so a list
 * of a large account costs a pull of the changes, not of everything. Changes are built on fresh master states
 * read with `store.get` (see commit.ts), never on this copy.
 */
import type { DocTypes } from '../../../src/domain/schemas.js';
import type { HubDocument, HubStore } from '../store.js';
import { documentId } from '../store-input.js';

/** The collections the Admin API serves. */
export type ApiCollection = 'users' | 'phones' | 'tokens' | 'u2f' | 'admins';

/** A stored document of a collection: its fields, the tombstone flag and its hub revision. */
export type Stored<K extends ApiCollection> = DocTypes[K] & { _deleted: boolean; _hubRev: number };

/** One page of a catch-up pull. */
const PULL_PAGE = 5000;

interface Copy {
  docs: Map<string, HubDocument>;
  seq: number;
  /** The last catch-up queued: each read waits for one that started after it was asked for. */
  tail: Promise<void>;
}

/** The in-memory copies of the collections of one account. */
export class DocumentCache {
  private readonly copies = new Map<ApiCollection, Copy>();

  constructor(
    private readonly store: HubStore,
    private readonly account: string,
  ) {}

  /** Every document of `collection` (tombstones included), up to date with what the store had committed when asked. */
  async all<K extends ApiCollection>(collection: K): Promise<ReadonlyMap<string, Stored<K>>> {
    let copy = this.copies.get(collection);
    if (!copy) {
      copy = { docs: new Map(), seq: 0, tail: Promise.resolve() };
      this.copies.set(collection, copy);
    }
    const target = copy;
    const run = target.tail.then(() => this.catchUp(collection, target));
    // A failed catch-up fails this read only; the next one tries again from the same checkpoint.
    target.tail = run.catch(() => undefined);
    await run;
    return target.docs as unknown as ReadonlyMap<string, Stored<K>>;
  }

  /** The live (not deleted) documents of `collection`. */
  async live<K extends ApiCollection>(collection: K): Promise<Stored<K>[]> {
    return [...(await this.all(collection)).values()].filter((doc) => !doc._deleted);
  }

  /** The current master states of `ids` (tombstones included), read from the store itself. */
  async get<K extends ApiCollection>(collection: K, ids: readonly string[]): Promise<Map<string, Stored<K>>> {
    if (ids.length === 0) return new Map();
    const docs = await this.store.get(this.account, collection, ids);
    return new Map(docs.map((doc) => [documentId(collection, doc), doc as unknown as Stored<K>] as const));
  }

  /** One current master state, or undefined when the store has never had it. */
  async getOne<K extends ApiCollection>(collection: K, id: string): Promise<Stored<K> | undefined> {
    return (await this.get(collection, [id])).get(id);
  }

  private async catchUp(collection: ApiCollection, copy: Copy): Promise<void> {
    for (;;) {
      const page = await this.store.pull(this.account, collection, { seq: copy.seq }, PULL_PAGE);
      for (const doc of page.documents) copy.docs.set(documentId(collection, doc), doc);
      copy.seq = page.checkpoint.seq;
      if (page.documents.length < PULL_PAGE) return;
    }
  }
}
