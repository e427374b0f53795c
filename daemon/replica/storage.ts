/**
 * A persistent RxStorage for Node: RxDB's memory storage answers reads and queries, and every write is
 * committed to one SQLite file before it is acknowledged. Opening an instance reloads its rows into memory.
 *
 * Why not RxDB's own SQLite storage: the open-source build is a trial capped at a few hundred documents.
 * The SQLite file doubles as the one-daemon-per-data-directory lock (exclusive locking mode, freed by
 * the kernel when the process dies, even on SIGKILL).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  getPrimaryFieldOfPrimaryKey,
  RXDB_VERSION,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  type RxStorageQueryResult,
} from 'rxdb';
import {
  bulkInsertToState,
  createMemoryStorageInstance,
  getMemoryCollectionKey,
  getRxStorageMemory,
  type MemoryStorageInternals,
  type RxStorageInstanceMemory,
  type RxStorageMemory,
} from 'rxdb/plugins/storage-memory';
import { FactordeskError } from '../../src/errors.js';

/** Bumped when the table layout changes; stored in `PRAGMA user_version`. */
const FILE_FORMAT_VERSION = 1;

type InstanceOptions = Record<string, never>;
// The storage's Internals type parameter is one type for every collection; RxDB types it with `any` too.
type AnyInternals = MemoryStorageInternals<any>;

/** Identifies one storage instance's rows (RxDB opens one per collection, plus its own internal ones). */
interface InstanceKey {
  readonly db: string;
  readonly coll: string;
  readonly version: number;
}

/** The RxStorage returned by {@link getRxStorageSqliteMirror}, plus direct access for fast full reads. */
export type SqliteMirrorStorage = RxStorage<AnyInternals, InstanceOptions> & {
  readonly file: string;
  /**
   * Every stored document (deleted ones included) of an open instance, straight from the memory state:
   * no copy, no RxDocument. The objects are RxDB's stored state: never mutate them.
   * Undefined when no instance of that collection is open.
   */
  storedDocuments<T>(databaseName: string, collectionName: string, schemaVersion: number):
    ReadonlyMap<string, RxDocumentData<T>> | undefined;
};

/** A persistent RxStorage: memory reads, SQLite-committed writes, one file for all instances. */
export function getRxStorageSqliteMirror(options: { file: string }): SqliteMirrorStorage {
  const file = path.resolve(options.file);
  // A private state map, not the memory storage's process-wide one: a reopen must see exactly the
  // SQLite contents, never what an earlier open left in memory.
  const memoryStorage: RxStorageMemory = { ...getRxStorageMemory(), collectionStates: new Map() };
  const openInstances = new Map<string, Set<SqliteMirrorInstance<unknown>>>();
  let sqlite: MirrorFile | undefined;
  let openCount = 0;

  // The connection (and with it the file lock) lives from the first open instance to the last close.
  function acquire(): MirrorFile {
    sqlite ??= MirrorFile.open(file);
    openCount++;
    return sqlite;
  }
  function release(): void {
    openCount--;
    if (openCount === 0 && sqlite) {
      sqlite.close();
      sqlite = undefined;
    }
  }

  return {
    // The file is part of the name so that two replicas on different files can use one database name
    // in one process (RxDB refuses a duplicate storage name + database name).
    name: `sqlite-mirror:${file}`,
    rxdbVersion: RXDB_VERSION,
    file,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, InstanceOptions>,
    ): Promise<RxStorageInstance<RxDocType, AnyInternals, InstanceOptions>> {
      if (params.schema.attachments) {
        throw new FactordeskError('INTERNAL', `The replica storage does not keep attachments (${params.collectionName})`);
      }
      const mirror = acquire();
      const key: InstanceKey = { db: params.databaseName, coll: params.collectionName, version: params.schema.version };
      const stateKey = getMemoryCollectionKey(key.db, key.coll, key.version);
      let memory: RxStorageInstanceMemory<RxDocType> | undefined;
      const forgetMemoryIfUnused = () => {
        // Free the memory state with its last instance, so the next open reloads from SQLite.
        if (memory && memory.internals.refCount <= 0) memoryStorage.collectionStates.delete(stateKey);
      };
      try {
        // createMemoryStorageInstance creates the state synchronously and returns a resolved promise, so a
        // concurrent open of the same key sees fresh === false and resumes only after this one has loaded.
        const fresh = !memoryStorage.collectionStates.has(stateKey);
        memory = await createMemoryStorageInstance(memoryStorage, params, {});
        if (fresh) loadIntoMemory(memory, mirror.load(key));
        const instance: SqliteMirrorInstance<RxDocType> = new SqliteMirrorInstance(memory, mirror, key, () => {
          openInstances.get(stateKey)?.delete(instance as SqliteMirrorInstance<unknown>);
          forgetMemoryIfUnused();
          release();
        });
        getOrCreate(openInstances, stateKey, () => new Set()).add(instance as SqliteMirrorInstance<unknown>);
        return instance;
      } catch (e) {
        await memory?.close();
        forgetMemoryIfUnused();
        release();
        throw e;
      }
    },
    storedDocuments<T>(databaseName: string, collectionName: string, schemaVersion: number) {
      const instances = openInstances.get(getMemoryCollectionKey(databaseName, collectionName, schemaVersion));
      const instance = instances?.values().next().value;
      return instance ? (instance.storedDocuments() as ReadonlyMap<string, RxDocumentData<T>>) : undefined;
    },
  };
}

/** True when another connection (this process or another) holds the file's exclusive lock. */
export function isReplicaFileLocked(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (e) {
    if (isBusy(e)) return true;
    throw e;
  } finally {
    db?.close();
  }
}

/** Fills a fresh memory state in one pass: each index array is sorted once instead of n binary inserts. */
function loadIntoMemory<T>(memory: RxStorageInstanceMemory<T>, docs: RxDocumentData<T>[]): void {
  if (docs.length === 0) return;
  const internals = memory.internals;
  bulkInsertToState(memory.primaryPath, internals, internals.byIndexArray, docs.map((document) => ({ document })));
}

/** One storage instance: the memory instance for reads, SQLite for durability. */
class SqliteMirrorInstance<RxDocType>
implements RxStorageInstance<RxDocType, AnyInternals, InstanceOptions, RxStorageDefaultCheckpoint> {
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>;
  readonly options: Readonly<InstanceOptions> = {};
  readonly internals: AnyInternals;
  private readonly primaryPath: string;
  private closed = false;

  constructor(
    private readonly memory: RxStorageInstanceMemory<RxDocType>,
    private readonly mirror: MirrorFile,
    private readonly key: InstanceKey,
    private readonly onClosed: () => void,
  ) {
    this.databaseName = memory.databaseName;
    this.collectionName = memory.collectionName;
    this.schema = memory.schema;
    this.internals = memory.internals;
    this.primaryPath = getPrimaryFieldOfPrimaryKey(memory.schema.primaryKey);
  }

  bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    // Decide which rows succeed exactly as the memory instance will (same state, same function, no await
    // in between), commit those to SQLite, and only then apply them to memory. If the commit throws,
    // memory is untouched and no change event is emitted.
    this.memory.ensurePersistence();
    const categorized = categorizeBulkWriteRows<RxDocType>(
      this.memory, this.primaryPath as never, this.memory.internals.documents, rows, context,
    );
    const written: RxDocumentData<RxDocType>[] = [];
    for (const row of categorized.bulkInsertDocs) written.push(row.document);
    for (const row of categorized.bulkUpdateDocs) written.push(row.document);
    if (written.length > 0) this.mirror.save(this.key, this.primaryPath, written);
    return this.memory.bulkWrite(rows, context);
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    return this.memory.findDocumentsById(ids, withDeleted);
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    return this.memory.query(preparedQuery);
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    return this.memory.count(preparedQuery);
  }

  getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    return this.memory.getAttachmentData(documentId, attachmentId, digest);
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>> {
    return this.memory.changeStream();
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.memory.ensurePersistence();
    const documents = this.memory.internals.documents;
    const deletedBefore: string[] = [];
    for (const [id, doc] of documents) if (doc._deleted) deletedBefore.push(id);
    await this.memory.cleanup(minimumDeletedTime);
    // Whatever the memory storage purged (its own clock decides) is purged from SQLite too.
    const purged = deletedBefore.filter((id) => !documents.has(id));
    if (purged.length > 0) this.mirror.purge(this.key, purged);
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.memory.close();
    this.onClosed();
  }

  async remove(): Promise<void> {
    if (this.closed) throw new Error(`storage instance ${this.collectionName} is closed`);
    this.mirror.drop(this.key);
    this.closed = true;
    await this.memory.remove();
    this.onClosed();
  }

  /** The memory state's documents, with any lazily deferred writes applied. */
  storedDocuments(): ReadonlyMap<string, RxDocumentData<RxDocType>> {
    this.memory.ensurePersistence();
    return this.memory.internals.documents;
  }
}

/** The SQLite side: one connection, holding the file's exclusive lock for as long as it is open. */
class MirrorFile {
  private constructor(
    private readonly db: Database.Database,
    private readonly statements: ReturnType<typeof prepareStatements>,
  ) {}

  /** Opens (creating if needed) and locks the file; CONFLICT when another connection holds it. */
  static open(file: string): MirrorFile {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let db: Database.Database | undefined;
    try {
      // timeout 0: a locked file must fail at once, not after better-sqlite3's default 5 s busy wait.
      db = new Database(file, { timeout: 0 });
      // The replica names every user and device of the account: readable by its owner only.
      fs.chmodSync(file, 0o600);
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > FILE_FORMAT_VERSION) {
        throw new FactordeskError('REFUSED', `${file} was written by a newer factordesk`, {
          hint: 'Upgrade factordesk, or move the file away to start from an empty replica.',
        });
      }
      // A write takes the exclusive lock now (in EXCLUSIVE mode a read would only keep a shared one), so a
      // second daemon fails at its open rather than at its first write.
      const setUp = (conn: Database.Database) => {
        conn.exec(`
          CREATE TABLE IF NOT EXISTS docs (
            db TEXT NOT NULL, coll TEXT NOT NULL, version INTEGER NOT NULL, id TEXT NOT NULL,
            data TEXT NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL,
            PRIMARY KEY (db, coll, version, id)
          );
          CREATE TABLE IF NOT EXISTS owner (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        `);
        const own = conn.prepare('INSERT OR REPLACE INTO owner (k, v) VALUES (?, ?)');
        own.run('pid', String(process.pid));
        own.run('opened', new Date().toISOString());
        conn.pragma(`user_version = ${FILE_FORMAT_VERSION}`);
      };
      db.transaction(setUp).immediate(db);
      return new MirrorFile(db, prepareStatements(db));
    } catch (e) {
      db?.close();
      if (isBusy(e)) {
        throw new FactordeskError('CONFLICT', `Another factordesk daemon is already using ${file}`, {
          hint: 'Stop it with `factordesk daemon stop`, or use another data directory (--data-dir or FACTORDESK_HOME).',
          cause: e,
        });
      }
      throw e;
    }
  }

  /** Every row of one instance, parsed, in primary-key order. */
  load(key: InstanceKey): RxDocumentData<never>[] {
    // iterate(), not all(): each row's JSON text becomes garbage as soon as it is parsed, instead of
    // 250k strings staying alive together (GC dominates load time at that size).
    const docs: RxDocumentData<never>[] = [];
    for (const row of this.statements.load.iterate(key.db, key.coll, key.version)) {
      docs.push(JSON.parse(row as string) as RxDocumentData<never>);
    }
    return docs;
  }

  /** Inserts or replaces the given document states in one transaction (durable when it returns). */
  save<T>(key: InstanceKey, primaryPath: string, docs: RxDocumentData<T>[]): void {
    this.statements.save(key, primaryPath, docs as RxDocumentData<Record<string, unknown>>[]);
  }

  /** Deletes the given documents' rows (after the memory storage purged them). */
  purge(key: InstanceKey, ids: string[]): void {
    this.statements.purge(key, ids);
  }

  /** Deletes every row of one instance. */
  drop(key: InstanceKey): void {
    this.statements.drop.run(key.db, key.coll, key.version);
  }

  close(): void {
    this.db.close();
  }
}

function prepareStatements(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT INTO docs (db, coll, version, id, data, deleted, lwt) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (db, coll, version, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, lwt = excluded.lwt`,
  );
  const remove = db.prepare('DELETE FROM docs WHERE db = ? AND coll = ? AND version = ? AND id = ?');
  return {
    load: db.prepare('SELECT data FROM docs WHERE db = ? AND coll = ? AND version = ? ORDER BY id').pluck(),
    drop: db.prepare('DELETE FROM docs WHERE db = ? AND coll = ? AND version = ?'),
    save: db.transaction((key: InstanceKey, primaryPath: string, docs: RxDocumentData<Record<string, unknown>>[]) => {
      for (const doc of docs) {
        upsert.run(key.db, key.coll, key.version, String(doc[primaryPath]), JSON.stringify(doc),
          doc._deleted ? 1 : 0, doc._meta.lwt);
      }
    }),
    purge: db.transaction((key: InstanceKey, ids: string[]) => {
      for (const id of ids) remove.run(key.db, key.coll, key.version, id);
    }),
  };
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
