/**
 * The daemon's command layer: opens the replica, builds the read model and views from it, and answers every
 * method of the RPC contract. Writes go to the replica; the read model follows its change stream.
 */
import type { Logger } from 'pino';
import { PROTOCOL_VERSION, type ResultOf } from '../src/rpc/contract.js';
import { COLLECTIONS, type CollectionName } from '../src/domain/schemas.js';
import type { ResolvedPaths } from '../src/paths.js';
import { packageVersion } from '../src/version.js';
import { createCommandContext } from './command-context.js';
import { loadOrCreateIdentity } from './identity.js';
import { openReplica } from './replica/database.js';
import { RefusalLog, syncConflictHandlers } from './replica/sync-conflicts.js';
import { SyncController, type SyncControllerOptions } from './sync.js';
import { requestCommands } from './commands/requests.js';
import { syncCommands } from './commands/sync.js';
import { ReadModel } from './views/read-model.js';
import { ViewEngine } from './views/view-engine.js';
import { collectGarbage } from './heap.js';
import { userCommands } from './commands/users.js';
import { phoneCommands } from './commands/phones.js';
import { tokenCommands } from './commands/tokens.js';
import { viewCommands } from './commands/views.js';
import { demoCommands } from './commands/demo.js';
import type { RpcCallContext, RpcHandlers } from './rpc-server.js';

export interface DaemonService {
  handlers: RpcHandlers;
  close(): Promise<void>;
}

/** Runs commands one after another so each sees the state the previous one left. */
function serialQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
}

/** Opens the replica under the data directory and returns the RPC handlers over it. */
export async function openDaemonService(ctx: {
  paths: ResolvedPaths;
  log: Logger;
  requestShutdown(): void;
  /** Default: process.env (decides, with config.json, whether a local hub is started). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Test seams of the sync (local hub starter, backoff). */
  sync?: Partial<Pick<SyncControllerOptions, 'startLocalHub' | 'client'>>;
}): Promise<DaemonService> {
  const { paths, log } = ctx;
  const startedAt = Date.now();
  // Updated in place when the hub says who we are.
  const identity = loadOrCreateIdentity(paths.configFile);
  const refusals = new RefusalLog();
  let sync: SyncController | undefined;
  const replica = await openReplica({
    file: paths.dbFile,
    conflictHandlers: syncConflictHandlers({
      refusals,
      onConflicts: (records) => sync?.storeConflicts(records),
      adminId: () => identity.admin_id,
    }),
  });
  const model = new ReadModel();
  const names = Object.keys(COLLECTIONS) as CollectionName[];
  for (const name of names) model.load(name, await replica.allDocs(name));
  const engine = new ViewEngine(model);
  const subscriptions = names.map((name) =>
    replica.changes(name).subscribe((change) => {
      model.apply(name, change);
      engine.changed(name);
    }),
  );
  log.info({ counts: Object.fromEntries(names.map((n) => [n, model.count(n)])) }, 'replica loaded');
  // Built before serving rather than on the first view (which waited for it anyway), and the garbage of
  // loading and building collected now rather than during the first keystrokes (heap.ts).
  const warming = performance.now();
  engine.warm();
  const collected = collectGarbage();
  log.info({ ms: Math.round(performance.now() - warming), collected }, 'search indexes built');

  const run = serialQueue();
  sync = new SyncController({ paths, env: ctx.env ?? process.env, log, replica, identity, refusals, serialize: run, ...ctx.sync });
  const syncing = sync;
  syncing.start();
  const cx = createCommandContext({ identity, replica, model, auditsLocally: () => syncing.auditsLocally() });
  // The acting administrator is listed with the others, so audit lines and token attachments can name it.
  // With a hub, administrators are the hub's (an Owner issues their keys): the daemon does not invent one.
  if (!syncing.synced && !model.admin(identity.admin_id)) {
    await cx.put('admins', [
      { admin_id: identity.admin_id, name: identity.name, email: '', role: identity.role, status: 'Active', created: startedAt },
    ]);
  }

  const handlers: RpcHandlers = {
    'session.hello': async () => ({
      version: packageVersion(),
      protocol: PROTOCOL_VERSION,
      pid: process.pid,
      dataDir: paths.dataDir,
      identity,
      startedAt,
    }),
    'session.shutdown': async () => {
      setImmediate(() => ctx.requestShutdown());
      return { ok: true as const };
    },
    ...viewCommands(cx, engine),
    ...userCommands(cx, run),
    ...phoneCommands(cx, run),
    ...tokenCommands(cx, run),
    ...demoCommands(cx, replica, run),
    ...syncCommands(syncing, {
      cx,
      // Re-applying a conflict's side goes through the very handlers a client calls.
      call: (method, params, call) =>
        (handlers[method] as (p: typeof params, c: RpcCallContext) => Promise<ResultOf<typeof method>>)(params, call),
    }),
    ...requestCommands({ cx, sync: syncing, run, changes: replica.changes('requests') }),
  };

  return {
    handlers,
    async close() {
      await run(async () => undefined);
      await syncing.close();
      for (const s of subscriptions) s.unsubscribe();
      engine.close();
      await replica.close();
    },
  };
}
