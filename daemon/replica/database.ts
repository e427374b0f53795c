/**
 * The daemon's local replica: an RxDB database with every collection of COLLECTIONS, persisted in one
 * SQLite file (see storage.ts), with fast whole-collection reads and a plain-object change stream for the
 * read model.
 *
 * Ordering guarantee (pinned by test/daemon/replica/database.test.ts): a write's change event reaches
 * `changes()` subscribers synchronously inside the write, so before the write's promise
 * (`insert`, `bulkUpsert`, `incrementalPatch`, `incrementalRemove`, `bulkInsert`...) resolves.
 * RxDB's storage contract requires it, the memory storage emits during `bulkWrite`, and the whole chain
 * (RxDatabase.$emit → collection.$ → map) is synchronous Subjects. No `settled()` is needed.
 */
import { map, type Observable } from 'rxjs';
import {
  addRxPlugin,
  createRxDatabase,
  overwritable,
  type RxChangeEvent,
  type RxCollection,
  type RxConflictHandler,
  type RxDatabase,
  type RxDocumentData,
  type RxStorage,
} from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { conflictSchema, type ConflictRecord } from '../../src/conflict-policy.js';
import { COLLECTIONS, type CollectionName, type DocTypes } from '../../src/domain/schemas.js';
import { FactordeskError } from '../../src/errors.js';
import { getRxStorageSqliteMirror, type SqliteMirrorStorage } from './storage.js';

/** One typed RxCollection per collection name. */
export type ReplicaCollections = { [K in CollectionName]: RxCollection<DocTypes[K]> };

/** A change of one document, as plain objects without RxDB's `_rev`/`_meta`/`_deleted`/`_attachments`. */
export interface ReplicaChange<T> {
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  /** The new state; for DELETE, the last state before deletion as RxDB reports it. */
  doc: T;
  /** The state before an UPDATE or DELETE. */
  previous?: T;
}

/** The open replica. */
export interface Replica {
  readonly db: RxDatabase<ReplicaCollections>;
  readonly collections: ReplicaCollections;
  /**
   * The automatic resolutions of sync conflicts (local to this replica, never replicated). Its local documents
   * keep what administrators settled (daemon/sync.ts), so that the records themselves stay as they were made.
   */
  readonly conflicts: RxCollection<ConflictRecord>;
  readonly file: string;
  /** Every non-deleted document of a collection as fresh plain objects, read from memory without RxDocuments. */
  allDocs<K extends CollectionName>(name: K): DocTypes[K][];
  /**
   * The stored states (tombstones included) of any storage instance of this database by RxDB collection name,
   * e.g. a replication's meta instance: RxDB's own objects, never to be mutated. Undefined when not open.
   */
  storedStates(collectionName: string, schemaVersion?: number): ReadonlyMap<string, RxDocumentData<unknown>> | undefined;
  /** Changes of one collection, delivered before the write that caused them resolves. */
  changes<K extends CollectionName>(name: K): Observable<ReplicaChange<DocTypes[K]>>;
  /**
   * Inserts many new documents in chunks (fast enough for 250k). Refuses, before writing anything, when an
   * id already exists or repeats; not atomic across chunks if a later chunk fails validation.
   */
  bulkInsert<K extends CollectionName>(name: K, docs: readonly DocTypes[K][]): Promise<void>;
  /** Closes the database and releases the file lock. Idempotent. */
  close(): Promise<void>;
}

export interface OpenReplicaOptions {
  /** The SQLite file; created with its directory when missing. */
  file: string;
  /** RxDB database name (lowercase letters, digits, `_`, `-`); default `factordesk`. */
  name?: string;
  /** Adds RxDB's dev-mode checks and ajv schema validation: tests only, it is slow. */
  devMode?: boolean;
  /**
   * The conflict handler of each replicated collection (RxDB takes it when the collection is created, so the
   * replication that uses it later must be decided here); default: RxDB's.
   */
  conflictHandlers?: { [K in CollectionName]?: RxConflictHandler<DocTypes[K]> };
}

/** The name of the conflicts collection (not in COLLECTIONS: it is not replicated and has no entity views). */
export const CONFLICTS_COLLECTION = 'conflicts';

const BULK_INSERT_CHUNK = 10_000;

/** Opens (creating if needed) the replica in `file`; CONFLICT when another daemon holds the file. */
export async function openReplica(options: OpenReplicaOptions): Promise<Replica> {
  if (options.devMode) await enableDevMode();
  addRxPlugin(RxDBLocalDocumentsPlugin);
  const storage = getRxStorageSqliteMirror({ file: options.file });
  const db = await createRxDatabase<ReplicaCollections>({
    name: options.name ?? 'factordesk',
    storage: await withValidationIfDevMode(storage),
    // One daemon per file (the storage's lock enforces it), so no cross-process event broadcast.
    multiInstance: false,
    eventReduce: true,
  });
  try {
    const handlers = (options.conflictHandlers ?? {}) as Record<string, RxConflictHandler<unknown> | undefined>;
    const added = await db.addCollections({
      ...Object.fromEntries(
        Object.entries(COLLECTIONS).map(([name, schema]) => [name, handlers[name] ? { schema, conflictHandler: handlers[name] } : { schema }]),
      ),
      [CONFLICTS_COLLECTION]: { schema: conflictSchema, localDocuments: true },
    });
    const { [CONFLICTS_COLLECTION]: conflicts, ...collections } = added as unknown as ReplicaCollections & {
      conflicts: RxCollection<ConflictRecord>;
    };
    return makeReplica(db, collections as ReplicaCollections, conflicts, storage);
  } catch (e) {
    await db.close();
    throw e;
  }
}

function makeReplica(
  db: RxDatabase<ReplicaCollections>,
  collections: ReplicaCollections,
  conflicts: RxCollection<ConflictRecord>,
  storage: SqliteMirrorStorage,
): Replica {
  let closing: Promise<unknown> | undefined;

  function storedDocuments(name: CollectionName) {
    const collection = collections[name];
    const docs = storage.storedDocuments<DocTypes[typeof name]>(db.name, collection.name, collection.schema.version);
    if (!docs) throw new FactordeskError('INTERNAL', `The replica collection ${name} is not open`);
    return docs;
  }

  return {
    db,
    collections,
    conflicts,
    file: storage.file,
    allDocs<K extends CollectionName>(name: K): DocTypes[K][] {
      const out: DocTypes[K][] = [];
      for (const doc of storedDocuments(name).values()) {
        if (!doc._deleted) out.push(plainDoc(doc) as DocTypes[K]);
      }
      return out;
    },
    storedStates(collectionName: string, schemaVersion = 0) {
      return storage.storedDocuments<unknown>(db.name, collectionName, schemaVersion);
    },
    changes<K extends CollectionName>(name: K): Observable<ReplicaChange<DocTypes[K]>> {
      const collection = collections[name] as unknown as RxCollection<DocTypes[K]>;
      return collection.$.pipe(map((event) => toChange(event)));
    },
    async bulkInsert<K extends CollectionName>(name: K, docs: readonly DocTypes[K][]): Promise<void> {
      const collection = collections[name] as unknown as RxCollection<DocTypes[K]>;
      const primaryPath = collection.schema.primaryPath as keyof DocTypes[K];
      const existing = storedDocuments(name);
      const seen = new Set<string>();
      for (const doc of docs) {
        const id = String(doc[primaryPath]);
        // A deleted document may be re-inserted (RxDB turns that into an update); a live one may not.
        const stored = existing.get(id);
        if (seen.has(id) || (stored && !stored._deleted)) {
          throw new FactordeskError('CONFLICT', `Cannot insert ${name} "${id}": it already exists`);
        }
        seen.add(id);
      }
      for (let i = 0; i < docs.length; i += BULK_INSERT_CHUNK) {
        const result = await collection.bulkInsert(docs.slice(i, i + BULK_INSERT_CHUNK) as DocTypes[K][]);
        const first = result.error[0];
        if (first) {
          throw new FactordeskError('INVALID_INPUT', `Cannot insert ${name} "${first.documentId}" (status ${first.status})`, {
            cause: first,
          });
        }
      }
    },
    close(): Promise<void> {
      closing ??= db.close();
      return closing.then(() => undefined);
    },
  };
}

/** Maps an RxDB change event to plain objects. */
function toChange<T>(event: RxChangeEvent<T>): ReplicaChange<T> {
  const change: ReplicaChange<T> = { op: event.operation, doc: plainDoc(event.documentData) };
  if (event.previousDocumentData) change.previous = plainDoc(event.previousDocumentData);
  return change;
}

/** A fresh copy of a stored document without RxDB's bookkeeping fields. */
function plainDoc<T>(doc: RxDocumentData<T>): T {
  const { _deleted, _rev, _meta, _attachments, ...rest } = doc as RxDocumentData<T> & Record<string, unknown>;
  return rest as T;
}

let devModeAdded: Promise<void> | undefined;

/** Adds RxDB's dev-mode plugin once per process (it is global, and RxDB refuses a second add). */
function enableDevMode(): Promise<void> {
  devModeAdded ??= (async () => {
    const devMode = await import('rxdb/plugins/dev-mode');
    devMode.disableWarnings();
    addRxPlugin(devMode.RxDBDevModePlugin);
  })();
  return devModeAdded;
}

/**
 * Wraps the storage with ajv schema validation whenever dev-mode is on in this process (not only when
 * this open asked for it): dev-mode is process-wide and refuses databases whose storage does not validate.
 */
async function withValidationIfDevMode(storage: SqliteMirrorStorage): Promise<RxStorage<unknown, unknown>> {
  if (!overwritable.isDevMode()) return storage;
  const { wrappedValidateAjvStorage } = await import('rxdb/plugins/validate-ajv');
  return wrappedValidateAjvStorage({ storage }) as RxStorage<unknown, unknown>;
}
