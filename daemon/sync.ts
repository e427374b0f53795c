/**
 * The daemon's sync with its hub, as one controller the service owns:
 *
 * - which hub: config.json's `hub` (hub-config.ts); `"none"` or FACTORDESK_NO_LOCAL_HUB=1 with no hub means
 *   local-only; no hub at all means zero setup: a local hub under the data directory is started in the
 *   background (the daemon answers at once; edits made meanwhile are pushed once it is up);
 * - who we are: the hub's whoami, asked on every (re)connect; the identity object the commands use is updated
 *   in place and cached in config.json for offline starts;
 * - the replication itself (replica/replication.ts), the conflict records it produces (stored in the replica's
 *   `conflicts` collection), and the repair of references to users deleted elsewhere after each pull;
 * - the status the RPC reports: online/offline/local-only, queued edits, last sync, conflicts, refusals, and the
 *   watchers told each time it changes (the `sync.changed` notification);
 * - which conflicts administrators settled (re-applied or accepted), kept in a local document of the conflicts
 *   collection so that the records stay as they were made.
 */
import os from 'node:os';
import { merge, type Subscription } from 'rxjs';
import { dataDirHash, type ResolvedPaths } from '../src/paths.js';
import type { ConflictRecord } from '../src/conflict-policy.js';
import { repairDeletedUserReferences } from '../src/conflict-policy.js';
import { keptBothSides } from '../src/conflict-policy/reapply.js';
import { COLLECTIONS, type CollectionName, type Phone, type Token } from '../src/domain/schemas.js';
import { FactordeskError } from '../src/errors.js';
import { can } from '../src/roles.js';
import type { ConflictState, ConflictView, Identity, SyncStatus } from '../src/rpc/contract.js';
import type { SyncedCollection, WhoAmI } from '../src/sync/protocol.js';
import { HubClient, type HubClientOptions } from './hub-client.js';
import {
  cachedIdentity,
  hubOrigin,
  localHubDisabled,
  readHubSetting,
  readSecretKey,
  updateConfigFile,
  type HubConfig,
} from './hub-config.js';
import type { Logger } from './logger.js';
import type { Replica } from './replica/database.js';
import { replicationIdentifier, startReplication, type ReplicationHandle } from './replica/replication.js';
import type { RefusalLog } from './replica/sync-conflicts.js';

/** What the zero-setup local hub gives back (see daemon/hub/local-hub.ts). */
export interface LocalHubInfo {
  url: string;
  ikey: string;
  skey: string;
  fingerprint?: string;
  hub_id?: string;
  /** Stops the hub process, if this daemon owns it. */
  stop?(): Promise<void> | void;
}

/** Starts (or finds running) the local hub of a data directory. */
export type LocalHubStarter = (options: {
  dataDir: string;
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** The Owner the hub makes when it is created: the administrator this daemon already acted as. */
  owner: { admin_id: string; name: string };
}) => Promise<LocalHubInfo>;

export interface SyncControllerOptions {
  paths: ResolvedPaths;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  replica: Replica;
  /** The identity the commands act as: updated in place from the hub's whoami. */
  identity: Identity;
  refusals: RefusalLog;
  /** Runs a write after the commands queued before it (the service's serial queue). */
  serialize<T>(fn: () => Promise<T>): Promise<T>;
  now?: () => number;
  client?: HubClientOptions;
  /** Default: daemon/hub/local-hub.ts's ensureLocalHub. */
  startLocalHub?: LocalHubStarter;
}

type Mode = 'local-only' | 'starting-local-hub' | 'hub';

const REPAIR_DEBOUNCE_MS = 50;
const CLOSE_WAIT_MS = 5000;
/** How soon after an event the status is compared again (also the most often it is computed while watched). */
const WATCH_DELAY_MS = 150;
/** How often it is compared anyway: a failing request puts the hub offline without an event of its own. */
const WATCH_INTERVAL_MS = 1000;
/** The longest a count of queued edits is reused without a change that could alter it. */
const QUEUED_MAX_AGE_MS = 10_000;
/** The local document of the conflicts collection that holds the settled conflicts. */
const SETTLED_DOC = 'settled';

/** How an administrator settled a conflict. */
interface Settlement {
  state: Extract<ConflictState, 'reapplied' | 'accepted'>;
  time: number;
  admin_id: string;
}

/** The status as watchers compare it: everything but the time of the last exchange, which changes all the time. */
function watchKey(status: SyncStatus): string {
  return JSON.stringify({ ...status, lastSync: null });
}

/** The sync of one daemon: see the module comment. */
export class SyncController {
  private mode: Mode = 'local-only';
  private hub: HubConfig | undefined;
  private client: HubClient | undefined;
  private replication: ReplicationHandle | undefined;
  private localHub: LocalHubInfo | undefined;
  private generation = 0;
  private lastSync: number | undefined;
  private message: string | undefined;
  private repairTimer: NodeJS.Timeout | undefined;
  private whoamiTimer: NodeJS.Timeout | undefined;
  /** Asks the connected hub who we are and adopts the answer (set while connected). */
  private askWhoami: (() => void) | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  /** Woken when the current connection attempt is superseded (reload, close). */
  private readonly onSuperseded = new Set<() => void>();
  private closed = false;
  private readonly now: () => number;
  private readonly settled = new Map<string, Settlement>();
  private readonly settledLoaded: Promise<void>;
  private settledWrite: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Set<(status: SyncStatus) => void>();
  private queuedCache: { handle: ReplicationHandle; value: number; at: number } | undefined;
  private readonly queuedDirtying: Subscription;
  private watchedKey: string | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private watchInterval: NodeJS.Timeout | undefined;
  private watchChanges: Subscription | undefined;

  constructor(private readonly options: SyncControllerOptions) {
    this.now = options.now ?? Date.now;
    this.settledLoaded = this.loadSettled();
    this.queuedDirtying = merge(...(Object.keys(COLLECTIONS) as CollectionName[]).map((name) => options.replica.changes(name))).subscribe(() => {
      this.queuedCache = undefined;
    });
  }

  /**
   * Edits not yet acknowledged. Counting compares every document with its recorded master state, so over a large
   * replica it is cached until the replica changes, an exchange with the hub happens, or QUEUED_MAX_AGE_MS passes
   * (a push acknowledgement is recorded just after its exchange, and no replica change tells of it).
   */
  private queuedCount(): number {
    const replication = this.replication;
    if (!replication) return 0;
    const cached = this.queuedCache;
    if (cached && cached.handle === replication && this.now() - cached.at < QUEUED_MAX_AGE_MS) return cached.value;
    const value = replication.queued();
    this.queuedCache = { handle: replication, value, at: this.now() };
    return value;
  }

  /** Decides the mode from config.json and starts connecting in the background (never throws for the hub). */
  start(): void {
    const generation = ++this.generation;
    const { paths, env, log } = this.options;
    let setting;
    try {
      setting = readHubSetting(paths.configFile);
    } catch (e) {
      this.mode = 'local-only';
      this.message = e instanceof FactordeskError ? e.userMessage : String(e);
      log.error({ err: e }, 'the hub configuration is invalid; working locally');
      return;
    }
    const wantsLocal = setting.kind === 'unset' ? !localHubDisabled(env) : setting.kind === 'hub' && setting.hub.local === true;
    if (!wantsLocal) this.stopLocalHub();
    this.poke();
    if (setting.kind === 'none' || (setting.kind === 'unset' && !wantsLocal)) {
      this.mode = 'local-only';
      this.hub = undefined;
      this.message = undefined;
      return;
    }
    if (setting.kind === 'hub' && !setting.hub.local) {
      this.mode = 'hub';
      this.hub = setting.hub;
      this.track(this.connect(setting.hub, generation));
      return;
    }
    this.mode = setting.kind === 'hub' ? 'hub' : 'starting-local-hub';
    this.hub = setting.kind === 'hub' ? setting.hub : undefined;
    this.message = 'starting the local hub';
    this.track(this.startLocal(setting.kind === 'hub' ? setting.hub : undefined, generation));
  }

  /** True when commands should write their own audit events: only without a hub (the hub audits). */
  auditsLocally(): boolean {
    return this.mode === 'local-only';
  }

  /** True when a hub is (or is being) set up: the daemon must not invent administrators of its own. */
  get synced(): boolean {
    return this.mode !== 'local-only';
  }

  /** Where sync stands, for `sync.status`. */
  status(): SyncStatus {
    const client = this.client;
    const state = this.mode === 'local-only' ? 'local-only' : client?.online ? 'online' : 'offline';
    const status: SyncStatus = {
      hub: this.hub ? hubOrigin(this.hub.url) : null,
      local: this.mode === 'starting-local-hub' || this.hub?.local === true,
      state,
      queued: this.queuedCount(),
      lastSync: this.lastSync ?? null,
      conflicts: this.conflictViews().filter((c) => c.state === 'open').length,
      refused: this.options.refusals.list(),
      identity: { ...this.options.identity },
    };
    const message = state === 'online' ? undefined : (client?.lastError?.userMessage ?? this.message);
    if (message !== undefined) status.message = message;
    return status;
  }

  /**
   * The connection to the hub for something only the hub can do right now (`what`, e.g. "importing tokens");
   * throws UNAVAILABLE with the reason when there is no hub or it does not answer.
   */
  onlineClient(what: string): HubClient {
    if (this.mode === 'local-only') {
      throw new FactordeskError('UNAVAILABLE', `${what} needs a hub, and this daemon works without one.`, {
        hint: 'Connect one with `factordesk login https://HOST:PORT --ikey … --skey-file …`.',
      });
    }
    const client = this.client;
    if (!client?.online) {
      const why = client?.lastError?.userMessage ?? this.message ?? 'not connected yet';
      throw new FactordeskError('UNAVAILABLE', `${what} needs the hub, which is not reachable (${why}).`, {
        hint: 'Secrets are never kept on this machine; try again when the hub answers (`factordesk sync status`).',
      });
    }
    return client;
  }

  /** True when requests written now reach the hub right away (false: they wait in the replica). */
  get online(): boolean {
    return this.mode !== 'local-only' && this.client?.online === true;
  }

  /** Pulls every collection now (after writing something straight to the hub). */
  pullNow(): void {
    this.replication?.resync();
  }

  /** The stored conflict records, newest first. */
  conflictRecords(limit?: number): ConflictRecord[] {
    const stored = this.options.replica.storedStates('conflicts', 0);
    const records: ConflictRecord[] = [];
    for (const doc of stored?.values() ?? []) {
      if (doc._deleted) continue;
      const { _deleted, _rev, _meta, _attachments, ...record } = doc as unknown as ConflictRecord & Record<string, unknown>;
      records.push(record as unknown as ConflictRecord);
    }
    records.sort((a, b) => b.time - a.time || (a.conflict_id < b.conflict_id ? -1 : 1));
    return limit === undefined ? records : records.slice(0, limit);
  }

  /** The stored conflict records with where each stands, newest first. */
  conflictViews(limit?: number): ConflictView[] {
    return this.conflictRecords(limit).map((record) => this.viewOf(record));
  }

  /** One stored conflict record with where it stands, or undefined. */
  conflictView(conflictId: string): ConflictView | undefined {
    const doc = this.options.replica.storedStates('conflicts', 0)?.get(conflictId) as (ConflictRecord & { _deleted?: boolean }) | undefined;
    if (!doc || doc._deleted) return undefined;
    const { _deleted, _rev, _meta, _attachments, ...record } = doc as unknown as ConflictRecord & Record<string, unknown>;
    return this.viewOf(record as unknown as ConflictRecord);
  }

  /** Resolves once the conflicts settled before this start are known (status and lists count them). */
  ready(): Promise<void> {
    return this.settledLoaded;
  }

  /** Records that the acting administrator settled a conflict; it stops counting as unresolved. */
  async settle(conflictId: string, state: Settlement['state']): Promise<ConflictView> {
    await this.settledLoaded;
    this.settled.set(conflictId, { state, time: this.now(), admin_id: this.options.identity.admin_id });
    const records = Object.fromEntries(this.settled);
    const write = this.settledWrite.then(() => this.options.replica.conflicts.upsertLocal(SETTLED_DOC, { records }));
    this.settledWrite = write.catch(() => undefined);
    await write;
    this.poke();
    const view = this.conflictView(conflictId);
    if (!view) throw new FactordeskError('NOT_FOUND', `No conflict "${conflictId}".`);
    return view;
  }

  /**
   * Calls `listener` with the status each time it changes (everything but `lastSync`), soon after the change;
   * returns the function that stops it.
   */
  watch(listener: (status: SyncStatus) => void): () => void {
    if (this.closed) return () => undefined;
    this.watchers.add(listener);
    if (this.watchers.size === 1) this.startWatching();
    return () => {
      if (this.watchers.delete(listener) && this.watchers.size === 0) this.stopWatching();
    };
  }

  private startWatching(): void {
    this.watchedKey = watchKey(this.status());
    const { replica } = this.options;
    // Local writes change the queued count; the stream, pulls and pushes poke the rest as they happen.
    this.watchChanges = merge(...(Object.keys(COLLECTIONS) as CollectionName[]).map((name) => replica.changes(name))).subscribe(() => this.poke());
    this.watchInterval = setInterval(() => this.poke(), WATCH_INTERVAL_MS);
    this.watchInterval.unref();
  }

  private stopWatching(): void {
    this.watchChanges?.unsubscribe();
    this.watchChanges = undefined;
    clearInterval(this.watchInterval);
    clearTimeout(this.watchTimer);
    this.watchTimer = undefined;
  }

  /** Compares the status again soon, and tells the watchers if it changed (many pokes, one comparison). */
  private poke(): void {
    if (this.watchers.size === 0 || this.watchTimer !== undefined || this.closed) return;
    this.watchTimer = setTimeout(() => {
      this.watchTimer = undefined;
      if (this.watchers.size === 0 || this.closed) return;
      const status = this.status();
      const key = watchKey(status);
      if (key === this.watchedKey) return;
      this.watchedKey = key;
      for (const listener of [...this.watchers]) {
        try {
          listener(status);
        } catch (err) {
          this.options.log.error({ err }, 'a sync status watcher failed');
        }
      }
    }, WATCH_DELAY_MS);
    this.watchTimer.unref();
  }

  private viewOf(record: ConflictRecord): ConflictView {
    const settlement = this.settled.get(record.conflict_id);
    if (settlement) return { ...record, state: settlement.state, settled_at: settlement.time, settled_by: settlement.admin_id };
    return { ...record, state: keptBothSides(record.rule) ? 'kept-both' : 'open' };
  }

  private async loadSettled(): Promise<void> {
    try {
      const doc = await this.options.replica.conflicts.getLocal<{ records: Record<string, Settlement> }>(SETTLED_DOC);
      for (const [id, settlement] of Object.entries(doc?.get('records') ?? {})) this.settled.set(id, settlement as Settlement);
    } catch (err) {
      this.options.log.error({ err }, 'reading the settled conflicts failed; all count as unresolved');
    }
  }

  /** Stores conflict records (the conflict handler's and the repair's); the same record twice is one. */
  storeConflicts(records: readonly ConflictRecord[]): void {
    if (records.length === 0 || this.closed) return;
    this.options.log.info({ conflicts: records.map((r) => ({ collection: r.collection_name, id: r.doc_id, rule: r.rule, field: r.field })) }, 'resolved sync conflicts');
    this.track(
      this.options.replica.conflicts.bulkUpsert(records.map((r) => ({ ...r }))).then(
        () => this.poke(),
        (err: unknown) => {
          this.options.log.error({ err }, 'storing conflict records failed');
        },
      ),
    );
  }

  /** Resolves when everything there was to pull and push has been (tests, `login`). */
  async awaitInSync(): Promise<void> {
    await this.replication?.awaitInSync();
  }

  /** Re-reads config.json (after `factordesk login`: a new hub, and the identity its whoami gave) and reconnects. */
  async reload(): Promise<SyncStatus> {
    await this.disconnect();
    const cached = cachedIdentity(this.options.paths.configFile);
    if (cached) Object.assign(this.options.identity, cached);
    this.start();
    return this.status();
  }

  /** Stops replicating and closes the connection; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queuedDirtying.unsubscribe();
    this.watchers.clear();
    this.stopWatching();
    await this.disconnect();
    this.stopLocalHub();
    // A local hub still starting is not waited for long: once it is up, it sees it is no longer wanted and stops.
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
  }

  /** The local hub serves this daemon only: it stops with it, or when the daemon moves to another hub. */
  private stopLocalHub(): void {
    const localHub = this.localHub;
    this.localHub = undefined;
    if (localHub?.stop) this.track(Promise.resolve(localHub.stop()));
  }

  private async disconnect(): Promise<void> {
    this.generation++;
    for (const wake of this.onSuperseded) wake();
    this.onSuperseded.clear();
    clearTimeout(this.repairTimer);
    clearTimeout(this.whoamiTimer);
    this.askWhoami = undefined;
    const replication = this.replication;
    const client = this.client;
    this.replication = undefined;
    this.client = undefined;
    await replication?.stop();
    client?.close();
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((err: unknown) => this.options.log.error({ err }, 'sync task failed'));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private current(generation: number): boolean {
    return generation === this.generation && !this.closed;
  }

  /** Starts (or restarts) the local hub, records it in config.json, and connects to it. */
  private async startLocal(configured: HubConfig | undefined, generation: number): Promise<void> {
    const { paths, log, env } = this.options;
    const starter = this.options.startLocalHub ?? defaultLocalHubStarter;
    let info: LocalHubInfo;
    for (let attempt = 0; ; attempt++) {
      try {
        const { admin_id, name } = this.options.identity;
        info = await starter({ dataDir: paths.dataDir, log, env, owner: { admin_id, name } });
        break;
      } catch (e) {
        this.message = `the local hub did not start: ${e instanceof FactordeskError ? e.userMessage : (e as Error).message}`;
        log.error({ err: e }, 'the local hub did not start');
        // Retry slowly: a broken local hub should not spin, but edits are kept either way.
        await this.pause(Math.min(60_000, 1000 * 2 ** attempt), generation);
        if (!this.current(generation)) return;
      }
    }
    if (!this.current(generation)) {
      await info.stop?.();
      return;
    }
    this.localHub = info;
    const hub: HubConfig = {
      ...(configured ?? {}),
      url: info.url,
      ikey: info.ikey,
      skey: info.skey,
      local: true,
    };
    delete hub.skeyFile;
    if (info.fingerprint !== undefined) hub.fingerprint = info.fingerprint;
    else delete hub.fingerprint;
    if (info.hub_id !== undefined) hub.hub_id = info.hub_id;
    updateConfigFile(paths.configFile, (config) => ({ ...config, hub }));
    this.mode = 'hub';
    this.hub = hub;
    this.message = undefined;
    log.info({ url: info.url }, 'local hub ready');
    await this.connect(hub, generation);
  }

  /** Connects to a hub: stream, whoami on every (re)connect, replication once the hub's id is known. */
  private async connect(hub: HubConfig, generation: number): Promise<void> {
    const { log } = this.options;
    if (!this.current(generation)) return;
    let skey: string;
    try {
      skey = readSecretKey(hub);
    } catch (e) {
      this.message = (e as FactordeskError).userMessage;
      log.error({ err: e }, 'cannot sign requests to the hub');
      return;
    }
    const credentials = { url: hub.url, ikey: hub.ikey, skey, ...(hub.fingerprint ? { fingerprint: hub.fingerprint } : {}) };
    const client = new HubClient(credentials, { ...this.options.client, clientId: clientId(this.options.paths) });
    this.client = client;
    const hubIds = new Set<string>();
    let resolveFirst!: (who: WhoAmI) => void;
    const first = new Promise<WhoAmI>((resolve) => (resolveFirst = resolve));
    // Roles change at the hub: ask who we are on every (re)connect, and when administrators change.
    this.askWhoami = () => {
      client.whoami().then(
        (who) => {
          if (!this.current(generation)) return;
          this.adopt(who);
          if (hubIds.size > 0 && !hubIds.has(who.hub_id)) {
            log.warn({ hub_id: who.hub_id }, 'the hub has a new identity; starting its replication afresh');
            void this.reload();
            return;
          }
          hubIds.add(who.hub_id);
          resolveFirst(who);
        },
        (err: unknown) => log.warn({ err }, 'whoami failed'),
      );
    };
    client.events$.subscribe((event) => {
      if (event.type !== 'closed') this.lastSync = this.now();
      if (event.type === 'open') this.askWhoami?.();
      this.poke();
    });
    client.startStream();
    let hubId = hub.hub_id;
    if (hubId === undefined) {
      const who = await Promise.race([first, this.closedPromise(generation)]);
      if (!who || !this.current(generation)) return;
      hubId = who.hub_id;
    } else {
      hubIds.add(hubId);
    }
    if (!this.current(generation)) return;
    this.replication = startReplication({
      replica: this.options.replica,
      transport: client,
      hubKey: replicationIdentifier(hubId),
      refusals: this.options.refusals,
      log,
      onExchange: () => {
        this.lastSync = this.now();
        this.queuedCache = undefined;
        // The master states of a push are recorded after its exchange: count again once they are.
        setTimeout(() => {
          this.queuedCache = undefined;
          this.poke();
        }, WATCH_DELAY_MS).unref();
        this.poke();
      },
      onPulled: (collection, ids) => this.afterPull(collection, ids),
    });
    log.info({ hub: hubOrigin(hub.url), hub_id: hubId }, 'replicating with the hub');
  }

  /** Waits `ms`, or less when `generation` stops being current. */
  private async pause(ms: number, generation: number): Promise<void> {
    await Promise.race([new Promise((r) => setTimeout(r, ms).unref()), this.closedPromise(generation)]);
  }

  /** Resolves (undefined) once `generation` is no longer current. */
  private closedPromise(generation: number): Promise<undefined> {
    if (!this.current(generation)) return Promise.resolve(undefined);
    return new Promise((resolve) => this.onSuperseded.add(() => resolve(undefined)));
  }

  /** Takes the identity and hub id from whoami, and caches them for offline starts. */
  private adopt(who: WhoAmI): void {
    this.poke();
    const identity = this.options.identity;
    const changed = identity.admin_id !== who.identity.admin_id || identity.name !== who.identity.name || identity.role !== who.identity.role;
    if (changed) {
      this.options.log.info({ from: { ...identity }, to: who.identity }, 'acting as the administrator the hub names');
      Object.assign(identity, who.identity);
    }
    const cachedHubId = this.hub?.hub_id;
    if (!changed && cachedHubId === who.hub_id) return;
    if (this.hub) this.hub.hub_id = who.hub_id;
    updateConfigFile(this.options.paths.configFile, (config) => {
      const hub = typeof config.hub === 'object' && config.hub !== null ? { ...config.hub, hub_id: who.hub_id } : config.hub;
      return { ...config, identity: { ...who.identity }, ...(hub === undefined ? {} : { hub }) };
    });
  }

  private afterPull(collection: SyncedCollection, ids: readonly string[]): void {
    if (collection === 'admins') {
      clearTimeout(this.whoamiTimer);
      this.whoamiTimer = setTimeout(() => this.askWhoami?.(), REPAIR_DEBOUNCE_MS);
      return;
    }
    if (collection !== 'users' && collection !== 'phones' && collection !== 'tokens') return;
    // The repair scans the whole replica: only when these documents could need it (a big pull rarely does).
    if (!this.pulledNeedsRepair(collection, ids)) return;
    clearTimeout(this.repairTimer);
    this.repairTimer = setTimeout(() => this.track(this.options.serialize(() => this.repairReferences())), REPAIR_DEBOUNCE_MS);
  }

  /** True when pulled documents name a deleted user (users: one of them is deleted; devices, tokens: they list one). */
  private pulledNeedsRepair(collection: 'users' | 'phones' | 'tokens', ids: readonly string[]): boolean {
    const { replica } = this.options;
    const states = (name: 'users' | 'phones' | 'tokens') =>
      replica.storedStates(replica.collections[name].name, replica.collections[name].schema.version);
    const users = states('users');
    if (collection === 'users') return ids.some((id) => users?.get(id)?._deleted === true);
    const pulled = states(collection);
    return ids.some((id) => {
      const doc = pulled?.get(id) as { _deleted?: boolean; users?: string[] } | undefined;
      return !!doc && doc._deleted !== true && (doc.users ?? []).some((user) => users?.get(user)?._deleted === true);
    });
  }

  /**
   * Removes references to users deleted elsewhere (conflict-policy/references.ts) when this administrator
   * may: the edits are ordinary ones, pushed like any other.
   */
  async repairReferences(): Promise<void> {
    if (this.closed) return;
    const { replica, identity } = this.options;
    const mayPhones = can(identity.role, 'phones.detach');
    const mayTokens = can(identity.role, 'tokens.unassign');
    if (!mayPhones && !mayTokens) return;
    const phones = mayPhones ? replica.allDocs('phones') : [];
    const tokens = mayTokens ? replica.allDocs('tokens') : [];
    const live = new Set(replica.allDocs('users').map((u) => u.user_id));
    const missing = new Set<string>();
    for (const doc of [...phones, ...tokens]) for (const id of doc.users) if (!live.has(id)) missing.add(id);
    if (missing.size === 0) return;
    // Only tombstones count: a user merely not pulled yet is not deleted.
    const stored = replica.storedStates(replica.collections.users.name, replica.collections.users.schema.version);
    const deletedUserIds = new Set([...missing].filter((id) => stored?.get(id)?._deleted === true));
    if (deletedUserIds.size === 0) return;
    const repair = repairDeletedUserReferences({ phones, tokens, deletedUserIds }, this.now(), { adminId: identity.admin_id });
    const keep: Phone[] = [];
    const gone: Phone[] = [];
    for (const phone of repair.phones) (phone.deletion === 'implicit' ? gone : keep).push(phone);
    if (keep.length > 0 || gone.length > 0) await replica.collections.phones.bulkUpsert([...keep, ...gone]);
    for (const phone of gone) {
      const doc = await replica.collections.phones.findOne(phone.phone_id).exec();
      await doc?.incrementalRemove();
    }
    if (repair.tokens.length > 0) await replica.collections.tokens.bulkUpsert(repair.tokens as Token[]);
    this.options.log.info({ phones: repair.phones.length, tokens: repair.tokens.length }, 'removed references to deleted users');
    this.storeConflicts(repair.conflicts);
  }
}

/** A stable name of this daemon installation for the hub's audit trail. */
function clientId(paths: ResolvedPaths): string {
  return `${os.hostname()}/${dataDirHash(paths.dataDir)}`;
}

/** daemon/hub/local-hub.ts's ensureLocalHub, loaded only when a local hub is wanted (it brings the hub's server). */
const defaultLocalHubStarter: LocalHubStarter = async (options) => {
  const { ensureLocalHub } = await import('./hub/local-hub.js');
  return ensureLocalHub(options);
};
