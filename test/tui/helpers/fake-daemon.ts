/**
 * A fake DaemonClient for TUI tests: views are answered from in-memory rows with the real filter language
 * (so parse errors are the daemon's own), subscriptions are pushed when a test changes rows, every request is
 * recorded, and commands answer from per-test handlers. The sync status is local only unless a test sets one;
 * `pushSync` sends it as the daemon's `sync.changed` would (`pushes: false` makes a client that only polls).
 */
import { FactordeskError } from '../../../src/errors.js';
import type { Role } from '../../../src/domain/enums.js';
import { indexRow } from '../../../src/filter/indexed-row.js';
import { compileFilter } from '../../../src/filter/match.js';
import { parseFilter } from '../../../src/filter/parse.js';
import { toCsv } from '../../../src/report/csv.js';
import { toJson } from '../../../src/report/json.js';
import {
  PROTOCOL_VERSION,
  type EntityName,
  type Hello,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type RowTypes,
  type SyncStatus,
  type ViewResult,
  type ViewSpec,
  type ViewUpdate,
} from '../../../src/rpc/contract.js';
import type { DaemonClient } from '../../../tui/rpc-client-types.js';

export interface Call {
  method: MethodName;
  params: unknown;
}

type Handler<M extends MethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
type Rows = { [E in EntityName]: RowTypes[E][] };

const DEFAULT_LIMIT = 100;

/** See the file comment. */
export class FakeDaemon implements DaemonClient {
  readonly hello: Hello;
  readonly calls: Call[] = [];
  readonly rows: Rows = { devices: [], users: [], tokens: [], u2f: [], admins: [], audit: [] };
  private readonly handlers = new Map<MethodName, (p: unknown) => unknown>();
  private readonly subs = new Map<string, ViewSpec>();
  private readonly viewListeners = new Set<(u: ViewUpdate) => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly syncListeners = new Set<(s: SyncStatus) => void>();
  /** What `sync.status` answers. */
  syncStatus: SyncStatus;
  /** Present only when the fake sends pushes (see the constructor's `pushes`). */
  readonly onSyncChanged?: (listener: (status: SyncStatus) => void) => () => void;
  private nextSub = 1;
  private version = 1;

  constructor(options: { role?: Role; name?: string; pushes?: boolean } = {}) {
    if (options.pushes !== false) {
      this.onSyncChanged = (listener) => {
        this.syncListeners.add(listener);
        return () => this.syncListeners.delete(listener);
      };
    }
    this.hello = {
      version: '0.0.0-test',
      protocol: PROTOCOL_VERSION,
      pid: 4242,
      dataDir: '/tmp/fd-fake',
      identity: { admin_id: 'DEADMIN0000000000001', name: options.name ?? 'ada', role: options.role ?? 'Owner' },
      startedAt: Date.UTC(2024, 4, 1, 12, 0),
    };
    this.syncStatus = {
      hub: null,
      local: false,
      state: 'local-only',
      queued: 0,
      lastSync: null,
      conflicts: 0,
      refused: [],
      identity: { ...this.hello.identity },
    };
  }

  /** Changes the sync status (merged into the current one) and pushes it to listening clients. */
  pushSync(patch: Partial<SyncStatus>): void {
    this.syncStatus = { ...this.syncStatus, ...patch };
    for (const fn of [...this.syncListeners]) fn(this.syncStatus);
  }

  /** Answers `method` with `handler` from now on. */
  on<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as (p: unknown) => unknown);
    return this;
  }

  /** Replaces an entity's rows and pushes every subscription to it. */
  set<E extends EntityName>(entity: E, rows: RowTypes[E][]): void {
    (this.rows as Record<EntityName, unknown[]>)[entity] = rows;
    this.version++;
    this.push(entity);
  }

  /** The params of every call to `method`, in order. */
  sent<M extends MethodName>(method: M): ParamsOf<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as ParamsOf<M>);
  }

  /** Live subscriptions and their current specs. */
  subscriptions(): ViewSpec[] {
    return [...this.subs.values()];
  }

  /** Simulates the daemon going away. */
  drop(): void {
    for (const fn of [...this.closeListeners]) fn();
  }

  async request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, params });
    await Promise.resolve();
    const handler = this.handlers.get(method);
    if (handler) return (await handler(params)) as ResultOf<M>;
    return this.builtin(method, params) as ResultOf<M>;
  }

  onViewChanged(listener: (update: ViewUpdate) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.viewListeners.clear();
    this.syncListeners.clear();
  }

  /** One page of a view over the in-memory rows (filter with the real language, sort by a field, window). */
  query(spec: ViewSpec): ViewResult {
    const ast = parseFilter(spec.entity, spec.filter ?? '');
    const match = compileFilter(ast, { now: Date.UTC(2024, 4, 1, 12, 0) });
    let rows = (this.rows[spec.entity] as RowTypes[EntityName][]).filter((r) => match(indexRow(spec.entity, r as never)));
    if (spec.sort) {
      const { key, dir } = spec.sort;
      const value = (r: unknown) => String((r as Record<string, unknown>)[key] ?? '');
      rows = [...rows].sort((a, b) => value(a).localeCompare(value(b)) * (dir === 'asc' ? 1 : -1));
    }
    const offset = spec.window?.offset ?? 0;
    const limit = spec.window?.limit ?? DEFAULT_LIMIT;
    return { entity: spec.entity, total: rows.length, offset, rows: rows.slice(offset, offset + limit), version: this.version };
  }

  private push(entity: EntityName): void {
    for (const [id, spec] of this.subs) {
      if (spec.entity !== entity) continue;
      const update = { ...this.query(spec), subscriptionId: id };
      for (const fn of [...this.viewListeners]) fn(update);
    }
  }

  private builtin(method: MethodName, params: unknown): unknown {
    switch (method) {
      case 'view.query':
        return this.query(params as ViewSpec);
      case 'view.subscribe': {
        const spec = params as ViewSpec;
        const result = this.query(spec);
        const id = `sub-${this.nextSub++}`;
        this.subs.set(id, spec);
        return { ...result, subscriptionId: id };
      }
      case 'view.update': {
        const { subscriptionId, spec } = params as { subscriptionId: string; spec: ViewSpec };
        if (!this.subs.has(subscriptionId)) throw new FactordeskError('NOT_FOUND', `No view subscription "${subscriptionId}".`);
        const result = this.query(spec);
        this.subs.set(subscriptionId, spec);
        return { ...result, subscriptionId };
      }
      case 'sync.status':
        return this.syncStatus;
      case 'sync.conflicts':
        return [];
      case 'view.unsubscribe':
        this.subs.delete((params as { subscriptionId: string }).subscriptionId);
        return { ok: true };
      case 'report.export': {
        const { spec, format } = params as ParamsOf<'report.export'>;
        const { rows } = this.query({ ...spec, window: { offset: 0, limit: 1_000_000 } });
        const content = format === 'csv' ? toCsv(spec.entity, rows as never) : toJson(spec.entity, rows as never);
        return { content, rows: rows.length };
      }
      default:
        throw new FactordeskError('INTERNAL', `fake daemon: no handler for ${method}`);
    }
  }
}
